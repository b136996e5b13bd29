import { Transform, type Readable, type Writable } from 'node:stream';

/**
 * Lines on stdin that are not JSON-RPC get the reply the JSON-RPC 2.0 specification asks for
 * instead of silence (the SDK's stdio transport skips them): not JSON -> -32700 Parse error with
 * id null; JSON but not a request, notification or response -> -32600 Invalid Request. Every
 * other line passes through unchanged to the SDK's transport.
 */
export function guardStdin(stdin: Readable, stdout: Writable): Readable {
  let pending = '';
  const reply = (id: unknown, code: number, message: string): void => {
    const validId = typeof id === 'string' || typeof id === 'number' ? id : null;
    stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: validId, error: { code, message } })}\n`);
  };
  const check = (line: string): boolean => {
    if (line.trim() === '') return false;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (err) {
      reply(null, -32700, `Parse error: ${(err as Error).message}`);
      return false;
    }
    const fields = typeof message === 'object' && message !== null && !Array.isArray(message) ? (message as Record<string, unknown>) : undefined;
    const looksValid = fields?.jsonrpc === '2.0' && (typeof fields.method === 'string' || 'result' in fields || 'error' in fields);
    if (!looksValid) reply(fields?.id, -32600, 'Invalid Request: expected a JSON-RPC 2.0 object with "jsonrpc": "2.0" and a "method" (or a response).');
    return looksValid;
  };
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const passed = lines.filter((line) => check(line.replace(/\r$/, '')));
      done(null, passed.length > 0 ? `${passed.join('\n')}\n` : undefined);
    },
    flush(done) {
      done(null, pending !== '' && check(pending) ? `${pending}\n` : undefined);
    },
  });
  return stdin.pipe(guard);
}
