import { describe, expect, it } from 'vitest';
import { encodeMessage, LineSplitter, parseMessage, PROTOCOL_VERSION, toRequest, type IpcMessage, type Notice } from '@blue/ipc';

const changed = {
  v: 1,
  id: 'm1',
  type: 'export-changed',
  from: 'aperture',
  export: 'required-s3-permissions',
  old_version: '1.0.0',
  new_version: '1.1.0',
  changes: ['+ training-metrics/experiments/*'],
  breaking: false,
};

const HELD: Notice = { id: 'h1', kind: 'breaking-held', at: '2026-01-24T10:00:00Z', from: 'aperture', export: 'required-s3-permissions', old_version: '1.0.0', new_version: '2.0.0', changes: [], breaking: true, text: 'held' };

describe('protocol', () => {
  it('accepts every message type of v1 and round-trips it through a line', () => {
    const messages: IpcMessage[] = [
      { v: 1, type: 'hello', session: { id: 's-1', domain: 'aperture', pid: 42, started_at: '2026-01-24T10:00:00Z', active: { rfc: 'training-metrics-v2' } } },
      { v: 1, type: 'session-ended', session: { id: 's-1', domain: 'aperture' } },
      changed as IpcMessage,
      { ...(changed as IpcMessage & { type: 'export-changed' }), old_version: null, notice_id: 'n1' },
      { v: 1, type: 'export-modified-locally', from: 'aperture', export: 'required-s3-permissions', changes: [] },
      { v: 1, type: 'realm-notice', notice: HELD },
      { v: 1, type: 'realm-notice', notice: { id: 'j1', kind: 'join-admitted', at: '2026-01-24T10:00:00Z', from: 'billing', old_version: null, changes: [], breaking: false, text: 'billing was admitted.' } },
      { v: 1, type: 'ping', id: 'p' },
      { v: 1, type: 'pong', id: 'p' },
      { v: 1, type: 'ack' },
      { v: 1, type: 'error', reason: 'why' },
    ];
    for (const message of messages) {
      const line = encodeMessage(message);
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      expect(parseMessage(line.slice(0, -1))).toEqual({ ok: true, message });
    }
  });

  it('says why it refuses a line, keeping the request id when it can', () => {
    const reason = (value: unknown): string => {
      const parsed = parseMessage(typeof value === 'string' ? value : JSON.stringify(value));
      if (parsed.ok) throw new Error('expected a refusal');
      return parsed.reason;
    };
    expect(reason('{not json')).toBe('not valid JSON');
    expect(reason([1])).toBe('not a JSON object');
    expect(reason({ v: 2, type: 'ping' })).toMatch(/unsupported protocol version 2/);
    expect(reason({ type: 'ping' })).toMatch(/unsupported protocol version undefined/);
    expect(reason({ v: 1, type: 'shutdown' })).toMatch(/unknown message type "shutdown"/);
    expect(reason({ v: 1, type: 'constructor' })).toMatch(/unknown message type/);
    expect(reason({ ...changed, from: '../etc' })).toMatch(/"from" is not a valid name/);
    expect(reason({ ...changed, changes: 'x' })).toMatch(/"changes" must be an array/);
    expect(reason({ ...changed, changes: [1] })).toMatch(/only strings/);
    expect(reason({ ...changed, breaking: 'no' })).toMatch(/"breaking"/);
    expect(reason({ ...changed, old_version: 3 })).toMatch(/"old_version"/);
    expect(reason({ v: 1, type: 'hello', session: { id: 's', domain: 'a', pid: -1, started_at: 'x' } })).toMatch(/pid/);
    expect(reason({ v: 1, type: 'ping', id: 'has space' })).toMatch(/"id"/);
    expect(parseMessage(JSON.stringify({ v: 1, type: 'nope', id: 'abc' }))).toMatchObject({ ok: false, id: 'abc' });
    expect(reason({ v: 1, type: 'realm-notice' })).toMatch(/"notice" must be an object/);
    expect(reason({ v: 1, type: 'realm-notice', notice: { ...HELD, kind: 'export-changed' } })).toMatch(/its own message type/);
    expect(reason({ v: 1, type: 'realm-notice', notice: { ...HELD, kind: 'gossip' } })).toMatch(/"kind" is not one of/);
    expect(reason({ v: 1, type: 'realm-notice', notice: { ...HELD, export: '../x' } })).toMatch(/"export" is not a name/);
  });

  it('ignores unknown fields (newer peers may add some)', () => {
    expect(parseMessage(JSON.stringify({ v: 1, type: 'ping', id: 'p', extra: { a: 1 } }))).toMatchObject({ ok: true });
  });

  it('adds the envelope to outgoing requests', () => {
    const request = toRequest({ type: 'ping' });
    expect(request).toMatchObject({ v: PROTOCOL_VERSION, type: 'ping', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(toRequest({ type: 'ping', id: 'mine' }).id).toBe('mine');
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks, strips \\r and skips blank lines', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(100, (l) => lines.push(l), () => undefined);
    for (const chunk of ['{"a"', ':1}\r\n\n  \n{"b":2}\n{"c"', ':3}\n']) splitter.push(Buffer.from(chunk));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(100, (l) => lines.push(l), () => undefined);
    const bytes = Buffer.from('é€😀\n');
    for (const b of bytes) splitter.push(Buffer.from([b]));
    expect(lines).toEqual(['é€😀']);
  });

  it('drops an oversized line without ever holding more than the limit, then reads the next line', () => {
    const lines: string[] = [];
    const oversized: number[] = [];
    const splitter = new LineSplitter(1024, (l) => lines.push(l), (n) => oversized.push(n));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let peak = 0;
    for (let i = 0; i < 160; i++) {
      // 10 MiB with no newline at all
      splitter.push(chunk);
      peak = Math.max(peak, splitter.buffered);
    }
    expect(peak).toBeLessThanOrEqual(1024);
    expect(oversized).toHaveLength(1);
    splitter.push(Buffer.from('tail of the long line\n{"ok":true}\n'));
    expect(lines).toEqual(['{"ok":true}']);
    expect(oversized).toHaveLength(1);
    // Exactly at the limit is fine; one byte more is not.
    splitter.push(Buffer.from(`${'b'.repeat(1024)}\n${'c'.repeat(1025)}\n`));
    expect(lines.at(-1)).toBe('b'.repeat(1024));
    expect(oversized).toHaveLength(2);
  });
});
