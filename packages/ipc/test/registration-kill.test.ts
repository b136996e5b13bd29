import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_TESTS } from '@blue/testkit';
import { listSessions, probeSocket, socketPathFor } from '@blue/ipc';
import { logSink, realmRuntime, spawnPeer, type Peer } from './helpers.js';

const PEERS = 100;
const KILLED = 20;

/** A process listening on `path`, then (when `kill`) SIGKILLed: its socket file stays behind. */
async function listener(path: string, kill: boolean): Promise<() => void> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.stdout.write('up')); setTimeout(() => {}, 20000)`]);
  await new Promise((resolveUp) => child.stdout.once('data', resolveUp));
  const stop = (): void => void child.kill('SIGKILL');
  if (kill) {
    stop();
    await new Promise((resolveExit) => child.once('exit', resolveExit));
  }
  return stop;
}

describe('session registration under load', () => {
  it('a socket no record names is removed once a second old and refusing; a fresh one, or one still answering, stays', async () => {
    const { realmDir } = await realmRuntime();
    const [old, fresh, answering] = ['killed-old', 'killed-fresh', 'registering'].map((id) => socketPathFor(realmDir, id)) as [string, string, string];
    await listener(old, true);
    await listener(fresh, true);
    const stop = await listener(answering, false);
    const past = new Date(Date.now() - 5000);
    await utimes(old, past, past);
    await utimes(answering, past, past);
    const { log, entries } = logSink();
    expect(await listSessions(realmDir, { log })).toEqual([]);
    expect([existsSync(old), existsSync(fresh), existsSync(answering)]).toEqual([false, true, true]);
    expect(entries).toEqual([expect.objectContaining({ event: 'socket-pruned', message: expect.stringContaining(old) })]);
    stop();
  });


  it.runIf(LONG_TESTS)(`[long] ${PEERS} processes registering at once while ${KILLED} of them are SIGKILLed at random moments of their start: the others all listed and answering, nothing of the killed left after the next read`, async () => {
    const { realmDir } = await realmRuntime();
    const peers: Peer[] = await Promise.all(Array.from({ length: PEERS }, (_, i) => spawnPeer(realmDir, i % 2 ? 'aperture' : 'fungal-image-analysis', { waitGo: true, lifetimeMs: 60_000 })));
    const doomed = new Set(peers.filter((_, i) => i % (PEERS / KILLED) === 0));
    // All are told to start at once; each doomed one is killed 0–30 ms later: before, during or
    // after its listen and its record's atomic write, wherever that moment falls.
    const started = peers.map((peer) => {
      const going = peer.go();
      if (!doomed.has(peer)) return going;
      setTimeout(() => peer.child.kill('SIGKILL'), Math.floor(Math.random() * 30));
      return going.catch(() => undefined);
    });
    await Promise.all(started);
    expect(await Promise.all([...doomed].map((p) => p.exited))).toEqual(Array(KILLED).fill('SIGKILL'));

    // A socket that no record names is left alone for a second (its owner may be registering).
    await new Promise((resolveWait) => setTimeout(resolveWait, 1100));
    const survivors = peers.filter((p) => !doomed.has(p));
    const { log, entries } = logSink();
    const listed = await listSessions(realmDir, { log });
    expect(listed.map((s) => s.pid).sort()).toEqual(survivors.map((p) => p.child.pid).sort());
    expect(new Set(listed.map((s) => s.id)).size).toBe(PEERS - KILLED);
    expect(await Promise.all(listed.map((s) => probeSocket(s.socket)))).toEqual(Array(PEERS - KILLED).fill('live'));
    // The read pruned every record of a killed process, its socket and any temp file it left.
    const files = await readdir(join(realmDir, 'sessions'));
    expect(files.sort()).toEqual(listed.map((s) => `${s.id}.json`).sort());
    const sockets = (await readdir(realmDir)).filter((f) => f.endsWith('.sock'));
    expect(sockets.sort()).toEqual(listed.map((s) => s.socket.split('/').at(-1)).sort());
    for (const peer of doomed) if (peer.record !== undefined) expect(existsSync(peer.record.socket)).toBe(false);
    expect(entries.filter((e) => e.event === 'session-unreadable')).toEqual([]);
    expect(entries.filter((e) => e.event === 'session-pruned' || e.event === 'socket-pruned').length).toBeLessThanOrEqual(KILLED);

    // A second read finds the same, and the survivors leave nothing behind when they close.
    expect((await listSessions(realmDir, { probe: true })).length).toBe(PEERS - KILLED);
    expect(await Promise.all(survivors.map((p) => p.stop()))).toEqual(Array(PEERS - KILLED).fill(0));
    expect(await readdir(join(realmDir, 'sessions'))).toEqual([]);
    expect((await readdir(realmDir)).filter((f) => f.endsWith('.sock'))).toEqual([]);
  }, 120_000);
});
