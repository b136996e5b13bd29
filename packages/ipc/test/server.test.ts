import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { rawSocketClient } from '@blue/testkit';
import { probeSocket, sendMessage, SessionConnection, startSession, startSessionServer, type IpcRequest } from '@blue/ipc';
import { logSink, realmRuntime, until } from './helpers.js';

/** A socket file whose listener was SIGKILLed: what a crashed session leaves behind. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.stdout.write('up\\n')); setTimeout(() => {}, 20000)`]);
  await new Promise<void>((resolveUp) => child.stdout.once('data', () => resolveUp()));
  child.kill('SIGKILL');
  await new Promise((resolveExit) => child.once('exit', resolveExit));
}

describe('session server', () => {
  it('answers ping with pong and other requests with ack, handing them to onMessage; close() removes the socket', async () => {
    const { realmDir } = await realmRuntime();
    const received: IpcRequest[] = [];
    const server = await startSessionServer({ socketPath: join(realmDir, 'a.sock'), onMessage: (m) => void received.push(m) });
    expect((await lstat(server.socketPath)).isSocket()).toBe(true);
    expect(await sendMessage(server.socketPath, { type: 'ping', id: 'p1' })).toEqual({ v: 1, id: 'p1', type: 'pong' });
    const reply = await sendMessage(server.socketPath, { type: 'export-modified-locally', from: 'aperture', export: 'required-s3-permissions', changes: ['+ a'] });
    expect(reply.type).toBe('ack');
    expect(received).toEqual([{ v: 1, id: reply.id, type: 'export-modified-locally', from: 'aperture', export: 'required-s3-permissions', changes: ['+ a'] }]);
    await server.close();
    expect(existsSync(server.socketPath)).toBe(false);
    await expect(sendMessage(server.socketPath, { type: 'ping' })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('drops malformed, unknown, wrongly versioned and oversized lines, logs them, and keeps answering ping', async () => {
    const { realmDir } = await realmRuntime();
    const { log, entries } = logSink();
    const received: IpcRequest[] = [];
    const server = await startSessionServer({ socketPath: join(realmDir, 'a.sock'), log, maxLineBytes: 4096, onMessage: (m) => void received.push(m) });
    onTestFinished(() => server.close());
    const client = await rawSocketClient(server.socketPath);
    await client.write('this is not json\n');
    await client.write('{"v":1,"type":"launch-missiles","id":"x1"}\n');
    await client.write('{"v":99,"type":"ping","id":"x2"}\n');
    await client.write('[1,2,3]\n');
    await client.write(`{"v":1,"type":"ping","id":"big","pad":"${'z'.repeat(10_000)}"}\n`);
    await client.write('{"v":1,"type":"pong","id":"x3"}\n');
    await client.write('{"v":1,"type":"ping","id":"alive"}\n');
    await until(() => client.lines.some((l) => l.includes('"alive"')));
    const replies = client.lines.map((l) => JSON.parse(l) as { type: string; id?: string; reason?: string });
    expect(replies).toEqual([
      { v: 1, type: 'error', reason: 'not valid JSON' },
      { v: 1, type: 'error', id: 'x1', reason: 'unknown message type "launch-missiles"' },
      { v: 1, type: 'error', id: 'x2', reason: expect.stringContaining('unsupported protocol version 99') },
      { v: 1, type: 'error', reason: 'not a JSON object' },
      { v: 1, type: 'error', reason: expect.stringContaining('more than 4096 bytes') },
      { v: 1, type: 'pong', id: 'alive' },
    ]);
    expect(entries.filter((e) => e.event === 'message-dropped')).toHaveLength(6);
    expect(received).toEqual([]);
    // A fresh connection is served too.
    expect((await sendMessage(server.socketPath, { type: 'ping' })).type).toBe('pong');
  });

  it('survives a peer streaming megabytes without a newline, and a handler that throws', async () => {
    const { realmDir } = await realmRuntime();
    const { log, entries } = logSink();
    const server = await startSessionServer({
      socketPath: join(realmDir, 'a.sock'),
      log,
      onMessage: (m) => {
        if (m.type === 'export-modified-locally') throw new Error('handler bug');
        return Promise.reject(new Error('async handler bug'));
      },
    });
    onTestFinished(() => server.close());
    const flood = await rawSocketClient(server.socketPath);
    const megabyte = Buffer.alloc(1024 * 1024, 0x7b);
    // 32 MiB in one line: the server holds at most 64 KiB of it (see the LineSplitter tests).
    for (let i = 0; i < 32; i++) await flood.write(megabyte);
    expect((await sendMessage(server.socketPath, { type: 'ping' })).type).toBe('pong');
    await flood.write('\n{"v":1,"type":"ping","id":"after"}\n');
    await until(() => flood.lines.some((l) => l.includes('"after"')));
    expect(entries.filter((e) => e.event === 'message-dropped')).toHaveLength(1);

    expect((await sendMessage(server.socketPath, { type: 'export-modified-locally', from: 'a', export: 'b', changes: [] })).type).toBe('ack');
    expect((await sendMessage(server.socketPath, { type: 'session-ended', session: { id: 's', domain: 'a' } })).type).toBe('ack');
    await until(() => entries.filter((e) => e.event === 'handler-failed').length === 2);
    expect((await sendMessage(server.socketPath, { type: 'ping' })).type).toBe('pong');
  });

  it('replaces the stale socket of a crashed session, refuses a live socket and a non-socket file', async () => {
    const { realmDir } = await realmRuntime();
    const { log, entries } = logSink();
    const path = join(realmDir, 'crashed.sock');
    await staleSocket(path);
    expect((await lstat(path)).isSocket()).toBe(true);
    expect(await probeSocket(path)).toBe('refused');
    const server = await startSessionServer({ socketPath: path, log });
    onTestFinished(() => server.close());
    expect(entries.map((e) => e.event)).toContain('stale-socket-removed');
    expect(await probeSocket(path)).toBe('live');
    await expect(startSessionServer({ socketPath: path })).rejects.toThrow(/Another process is listening/);
    expect((await sendMessage(path, { type: 'ping' })).type).toBe('pong');

    await writeFile(join(realmDir, 'file.sock'), 'data');
    await expect(startSessionServer({ socketPath: join(realmDir, 'file.sock') })).rejects.toMatchObject({ code: 'SOCKET_DIR_UNSAFE' });
    expect(existsSync(join(realmDir, 'file.sock'))).toBe(true);
    expect(await probeSocket(join(realmDir, 'none.sock'))).toBe('missing');
  });

  it('sendMessage times out on a peer that never answers and reports a refused connection', async () => {
    const { realmDir } = await realmRuntime();
    const silent = (await import('node:net')).createServer((c) => c.pause());
    await new Promise<void>((r) => silent.listen(join(realmDir, 'silent.sock'), r));
    onTestFinished(() => void silent.close());
    const started = Date.now();
    await expect(sendMessage(join(realmDir, 'silent.sock'), { type: 'ping' }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'IPC_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    await staleSocket(join(realmDir, 'dead.sock'));
    await expect(sendMessage(join(realmDir, 'dead.sock'), { type: 'ping' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(sendMessage(join(realmDir, 'dead.sock'), { type: 'export-modified-locally', from: 'a', export: 'b', changes: ['x'.repeat(70_000)] })).rejects.toMatchObject({ code: 'IPC_REFUSED' });
  });

  it('a persistent connection sends many requests on one socket and reconnects after the server restarts', async () => {
    const { realmDir } = await realmRuntime();
    const path = join(realmDir, 'p.sock');
    let server = await startSessionServer({ socketPath: path });
    const connection = new SessionConnection(path);
    onTestFinished(() => connection.close());
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => connection.send({ type: 'ping', id: `p${i}` })));
    expect(replies.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => `p${i}`));
    expect(connection.connected).toBe(true);
    await server.close();
    await until(() => !connection.connected);
    await expect(connection.send({ type: 'ping' })).rejects.toMatchObject({ code: 'ENOENT' });
    server = await startSessionServer({ socketPath: path });
    onTestFinished(() => server.close());
    expect((await connection.send({ type: 'ping' })).type).toBe('pong');
  });

  it('startSession listens, registers, and on close deregisters and removes its socket', async () => {
    const { realmDir } = await realmRuntime();
    const session = await startSession({ realmDir, domain: 'aperture', active: { rfc: 'training-metrics-v2' }, exports_modified: ['required-s3-permissions'] });
    expect(session.record).toMatchObject({ v: 1, domain: 'aperture', pid: process.pid, active: { rfc: 'training-metrics-v2' }, exports_modified: ['required-s3-permissions'], imports_watching: [] });
    expect(session.record.socket).toMatch(new RegExp(`^${realmDir}/[0-9a-f]{12}\\.sock$`));
    expect(await probeSocket(session.record.socket)).toBe('live');
    expect(existsSync(join(realmDir, 'sessions', `${session.record.id}.json`))).toBe(true);
    await session.update({ imports_watching: [{ from: 'fungal-image-analysis', contract: 'iam-policy' }] });
    expect(session.record.imports_watching).toEqual([{ from: 'fungal-image-analysis', contract: 'iam-policy' }]);
    await session.close();
    await session.close();
    expect(existsSync(session.record.socket)).toBe(false);
    expect(existsSync(join(realmDir, 'sessions', `${session.record.id}.json`))).toBe(false);
  });
});
