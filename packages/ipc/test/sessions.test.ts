import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deregisterSession, listSessions, probeSocket, readSession, registerSession, socketPathFor, startSession, startSessionServer, watchSessions, type IpcRequest, type SessionRecord } from '@blue/ipc';
import { logSink, realmRuntime, spawnPeer, until, type Peer } from './helpers.js';

/** A pid that surely names no process: a child that has exited (and was reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolveExit) => child.once('exit', resolveExit));
  return child.pid ?? 0;
}

describe('session index', () => {
  it('registers, reads, lists and deregisters a session, one atomic file each', async () => {
    const { realmDir } = await realmRuntime();
    const record = await registerSession(realmDir, {
      domain: 'fungal-image-analysis',
      active: { branch: 'feat/training-metrics-v2' },
      imports_watching: [{ from: 'aperture', contract: 'required-s3-permissions' }],
    });
    expect(record).toMatchObject({ v: 1, pid: process.pid, exports_modified: [], socket: socketPathFor(realmDir, record.id) });
    expect(await readSession(realmDir, record.id)).toEqual(record);
    expect(await listSessions(realmDir)).toEqual([record]);
    expect(await readdir(join(realmDir, 'sessions'))).toEqual([`${record.id}.json`]);
    await deregisterSession(realmDir, record.id);
    await deregisterSession(realmDir, record.id);
    expect(await listSessions(realmDir)).toEqual([]);
    await expect(registerSession(realmDir, { domain: 'Not A Name' })).rejects.toMatchObject({ code: 'NAME_INVALID' });
    await expect(registerSession(realmDir, { domain: 'a', id: '../escape' })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
  });

  it('prunes records of dead processes with their sockets, and skips unreadable records', async () => {
    const { realmDir } = await realmRuntime();
    const { log, entries } = logSink();
    const dead = await registerSession(realmDir, { domain: 'aperture', pid: await deadPid() });
    await writeFile(dead.socket, 'left behind');
    await writeFile(join(realmDir, 'sessions', 'broken.json'), '{"v":1,');
    await writeFile(join(realmDir, 'sessions', `.x.json.${dead.pid}.abcd1234.tmp`), '{}');
    const alive = await registerSession(realmDir, { domain: 'aperture' });
    expect(await listSessions(realmDir, { log, prune: false })).toHaveLength(1);
    expect(existsSync(dead.socket)).toBe(true);
    expect(await listSessions(realmDir, { log })).toEqual([alive]);
    expect(existsSync(dead.socket)).toBe(false);
    expect((await readdir(join(realmDir, 'sessions'))).sort()).toEqual(['broken.json', `${alive.id}.json`].sort());
    expect(entries).toContainEqual(expect.objectContaining({ event: 'session-pruned', message: expect.stringContaining(dead.id) }));
    expect(entries).toContainEqual(expect.objectContaining({ event: 'session-unreadable', message: expect.stringContaining('broken.json') }));
  });

  it('with probe, removes a live-looking session whose socket refuses connections (its pid was reused)', async () => {
    const { realmDir } = await realmRuntime();
    // This process is alive, so only the probe can tell the record is stale.
    const stale = await registerSession(realmDir, { domain: 'aperture' });
    const server = await startSessionServer({ socketPath: stale.socket });
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPathFor(realmDir, 'crashed'))}, () => process.stdout.write('up')); setTimeout(() => {}, 20000)`]);
    await new Promise((resolveUp) => child.stdout.once('data', resolveUp));
    child.kill('SIGKILL');
    await new Promise((resolveExit) => child.once('exit', resolveExit));
    const crashed = await registerSession(realmDir, { domain: 'aperture', id: 'crashed' });
    expect(await probeSocket(crashed.socket)).toBe('refused');
    const missing = await registerSession(realmDir, { domain: 'aperture', id: 'never-listened' });

    expect((await listSessions(realmDir)).map((s) => s.id).sort()).toEqual([stale.id, 'crashed', 'never-listened'].sort());
    expect((await listSessions(realmDir, { probe: true })).map((s) => s.id)).toEqual([stale.id]);
    expect(existsSync(crashed.socket)).toBe(false);
    expect(await readSession(realmDir, missing.id)).toBeUndefined();
    await server.close();
  });

  it('watchSessions reports the sessions now and after each registration and deregistration', async () => {
    const { realmDir } = await realmRuntime();
    const seen: string[][] = [];
    const watcher = watchSessions(realmDir, (sessions: SessionRecord[]) => seen.push(sessions.map((s) => s.domain)), { debounceMs: 20 });
    try {
      await until(() => seen.length === 1);
      expect(seen).toEqual([[]]);
      const record = await registerSession(realmDir, { domain: 'aperture' });
      await until(() => seen.at(-1)?.length === 1);
      await deregisterSession(realmDir, record.id);
      await until(() => seen.at(-1)?.length === 0);
      expect(seen.at(-2)).toEqual(['aperture']);
    } finally {
      watcher.close();
    }
  });

  it('with announce, a session says hello to the others when it starts and session-ended when it closes', async () => {
    const { realmDir } = await realmRuntime();
    const heard: IpcRequest[] = [];
    const first = await startSession({ realmDir, domain: 'fungal-image-analysis', onMessage: (m) => void heard.push(m) });
    const second = await startSession({ realmDir, domain: 'aperture', announce: true, active: { rfc: 'training-metrics-v2' } });
    expect(heard).toMatchObject([{ type: 'hello', session: { id: second.record.id, domain: 'aperture', pid: process.pid, active: { rfc: 'training-metrics-v2' } } }]);
    await second.close();
    expect(heard.at(-1)).toMatchObject({ type: 'session-ended', session: { id: second.record.id, domain: 'aperture' } });
    expect((await listSessions(realmDir)).map((s) => s.id)).toEqual([first.record.id]);
    await first.close();
  });

  it('100 processes registering at once lose none; 20 of them SIGKILLed are pruned on the next read, sockets gone', async () => {
    const { realmDir } = await realmRuntime();
    // Start the processes first, then let all of them listen and register at the same moment.
    const peers: Peer[] = await Promise.all(Array.from({ length: 100 }, (_, i) => spawnPeer(realmDir, i % 2 ? 'aperture' : 'fungal-image-analysis', { waitGo: true, lifetimeMs: 60_000 })));
    const ready = await Promise.all(peers.map((p) => p.go()));
    expect(ready.every((r) => r.registerMs > 0)).toBe(true);
    const sessions = await listSessions(realmDir, { probe: true });
    expect(sessions).toHaveLength(100);
    expect(new Set(sessions.map((s) => s.id))).toEqual(new Set(peers.map((p) => p.record.id)));
    expect(new Set(sessions.map((s) => s.pid))).toEqual(new Set(peers.map((p) => p.child.pid)));
    expect(await readdir(join(realmDir, 'sessions'))).toHaveLength(100);

    const killed = peers.slice(0, 20);
    for (const peer of killed) peer.child.kill('SIGKILL');
    expect(await Promise.all(killed.map((p) => p.exited))).toEqual(Array(20).fill('SIGKILL'));
    for (const peer of killed) expect(existsSync(peer.record.socket)).toBe(true);

    const { log, entries } = logSink();
    const after = await listSessions(realmDir, { log });
    expect(after).toHaveLength(80);
    expect(after.map((s) => s.id).sort()).toEqual(peers.slice(20).map((p) => p.record.id).sort());
    for (const peer of killed) expect(existsSync(peer.record.socket), peer.record.socket).toBe(false);
    expect(entries.filter((e) => e.event === 'session-pruned')).toHaveLength(20);

    // The others close cleanly on stdin EOF: records and sockets removed by their owners.
    expect(await Promise.all(peers.slice(20).map((p) => p.stop()))).toEqual(Array(80).fill(0));
    expect(await readdir(join(realmDir, 'sessions'))).toEqual([]);
    expect((await readdir(realmDir)).filter((f) => f.endsWith('.sock'))).toEqual([]);
  }, 120_000);
});
