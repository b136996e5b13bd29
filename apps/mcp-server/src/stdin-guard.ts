import { Transform, type Readable, type Writable } from 'node:stream';

/**
 * Lines on stdin that are not JSON-RPC get the reply the JSON-RPC 2.0 specification asks for
 * instead of silence (the SDK's stdio transport skips them): not JSON -> -32700 Parse error with
 * id null; JSON but not a request, notification or response -> -32600 Invalid Request; a
 * tools/call without an object of params naming the tool, or with arguments that are not an
 * object -> -32602 Invalid params in one sentence (the SDK would answer with a schema dump).
 * Every other line passes through unchanged to the SDK's transport.
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
    if (fields === undefined || !looksValid) {
      reply(fields?.id, -32600, 'Invalid Request: expected a JSON-RPC 2.0 object with "jsonrpc": "2.0" and a "method" (or a response).');
      return false;
    }
    const problem = fields.method === 'tools/call' && 'id' in fields ? toolCallProblem(fields.params) : undefined;
    if (problem !== undefined) reply(fields.id, -32602, `Invalid params: ${problem}`);
    return problem === undefined;
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

/** What is wrong with a tools/call request's params, in one sentence; undefined when they are usable. */
function toolCallProblem(params: unknown): string | undefined {
  const example = 'expected {"name": "<tool>", "arguments": {...}}';
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return `tools/call needs params, ${example}.`;
  const { name, arguments: args } = params as Record<string, unknown>;
  if (typeof name !== 'string') return `tools/call params need the tool's "name", ${example}.`;
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return `the arguments of ${name} must be a JSON object, ${example}.`;
  return undefined;
}
