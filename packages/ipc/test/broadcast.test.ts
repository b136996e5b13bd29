import { existsSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  broadcastExportChanged,
  broadcastExportModifiedLocally,
  ConnectionPool,
  listSessions,
  notifyExportChanged,
  readNotices,
  readSession,
  recipients,
  startSession,
  type Delivery,
  type ExportChangedEvent,
  type SessionRecord,
} from '@blue/ipc';
import { realmRuntime, spawnPeer, type Peer } from './helpers.js';

const WATCH = 'aperture:required-s3-permissions';
const event: ExportChangedEvent = {
  from: 'aperture',
  export: 'required-s3-permissions',
  old_version: '1.0.0',
  new_version: '1.1.0',
  changes: ['+ training-metrics/experiments/*'],
  breaking: false,
};

const byId = (deliveries: Delivery[], peer: Peer): Delivery | undefined => deliveries.find((d) => d.session.id === peer.record.id);

async function realmWithPeers(): Promise<{ realmDir: string; watchers: Peer[]; other: Peer; own: Peer; dead: Peer; hung: Peer; sessions: SessionRecord[] }> {
  const { realmDir } = await realmRuntime();
  const [w1, w2, other, own, dead, hung] = await Promise.all([
    spawnPeer(realmDir, 'fungal-image-analysis', { watch: [WATCH] }),
    spawnPeer(realmDir, 'fungal-image-analysis', { watch: [WATCH, 'aperture:other-export'] }),
    spawnPeer(realmDir, 'billing'),
    spawnPeer(realmDir, 'aperture'),
    spawnPeer(realmDir, 'fungal-image-analysis', { watch: [WATCH] }),
    spawnPeer(realmDir, 'fungal-image-analysis', { watch: [WATCH], hung: true }),
  ]);
  const sessions = await listSessions(realmDir);
  expect(sessions).toHaveLength(6);
  // Dies after the broadcaster listed the sessions: its record still looks alive.
  dead.child.kill('SIGKILL');
  await dead.exited;
  return { realmDir, watchers: [w1, w2], other: other, own: own, dead: dead, hung: hung, sessions };
}

describe('broadcast', () => {
  it('delivers export-changed to every watching session while a dead and a hung peer fail within the timeout', async () => {
    const { realmDir, watchers, other, own, dead, hung, sessions } = await realmWithPeers();
    const started = performance.now();
    const deliveries = await broadcastExportChanged(realmDir, event, { sessions, timeoutMs: 500 });
    const elapsed = performance.now() - started;

    expect(deliveries.map((d) => d.session.id).sort()).toEqual([...watchers, dead, hung].map((p) => p.record.id).sort());
    for (const peer of watchers) {
      expect(byId(deliveries, peer)).toMatchObject({ delivered: true });
      expect(byId(deliveries, peer)!.ms).toBeLessThan(500);
      expect(await peer.waitForMessage((m) => m.type === 'export-changed')).toMatchObject({ v: 1, ...event });
    }
    expect(byId(deliveries, dead)).toMatchObject({ delivered: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(byId(deliveries, hung)).toMatchObject({ delivered: false, error: expect.stringContaining('IPC_TIMEOUT') });
    // Everyone was tried at once: the whole broadcast costs one timeout, not one per bad peer.
    expect(elapsed).toBeLessThan(1500);
    expect(other.received).toEqual([]);
    expect(own.received).toEqual([]);
    // The dead session is gone from the index, with its socket.
    expect(await readSession(realmDir, dead.record.id)).toBeUndefined();
    expect(existsSync(dead.record.socket)).toBe(false);
    expect((await listSessions(realmDir)).map((s) => s.id)).not.toContain(dead.record.id);
  }, 30_000);

  it('does the same over persistent connections, reusing them for the next broadcast', async () => {
    const { realmDir, watchers, dead, hung, sessions } = await realmWithPeers();
    const pool = new ConnectionPool();
    onTestFinished(() => pool.close());
    const first = await broadcastExportChanged(realmDir, event, { sessions, timeoutMs: 500, pool });
    expect(first.filter((d) => d.delivered).map((d) => d.session.id).sort()).toEqual(watchers.map((p) => p.record.id).sort());
    expect(byId(first, dead)?.error).toContain('ECONNREFUSED');
    expect(byId(first, hung)?.error).toContain('IPC_TIMEOUT');
    for (const peer of watchers) expect(pool.connection(peer.record.socket).connected).toBe(true);
    expect(pool.connection(hung.record.socket).connected).toBe(false);

    const second = await broadcastExportModifiedLocally(realmDir, { from: 'aperture', export: 'required-s3-permissions', changes: ['+ more/*'] }, { timeoutMs: 500, pool });
    expect(second.filter((d) => d.delivered)).toHaveLength(2);
    for (const peer of watchers) await peer.waitForMessage((m) => m.type === 'export-modified-locally');
  }, 30_000);

  it('reaches every session of an importing domain, and never the exporter or excluded sessions', () => {
    const session = (id: string, domain: string, watching: string[] = []): SessionRecord => ({
      v: 1,
      id,
      domain,
      socket: `/r/${id}.sock`,
      pid: 1,
      started_at: '2026-01-01T00:00:00Z',
      exports_modified: [],
      imports_watching: watching.map((w) => ({ from: w.split(':')[0]!, contract: w.split(':')[1]! })),
    });
    const all = [session('a', 'fungal-image-analysis', [WATCH]), session('b', 'billing'), session('c', 'aperture', [WATCH]), session('d', 'fungal-image-analysis', ['aperture:other'])];
    expect(recipients(all, 'aperture', 'required-s3-permissions').map((s) => s.id)).toEqual(['a']);
    expect(recipients(all, 'aperture', 'required-s3-permissions', { importers: ['fungal-image-analysis'] }).map((s) => s.id)).toEqual(['a', 'd']);
    expect(recipients(all, 'aperture', 'required-s3-permissions', { importers: ['fungal-image-analysis'], exclude: ['d'] }).map((s) => s.id)).toEqual(['a']);
  });

  it('notifyExportChanged writes the inbox notice first, then sends the live message carrying its id', async () => {
    const { realmDir } = await realmRuntime();
    const watcher = await spawnPeer(realmDir, 'fungal-image-analysis', { watch: [WATCH] });
    const result = await notifyExportChanged(realmDir, event, { importers: ['billing'], timeoutMs: 1000 });
    expect(result.inboxes).toEqual(['billing', 'fungal-image-analysis']);
    expect(result.deliveries).toMatchObject([{ delivered: true, session: { id: watcher.record.id } }]);
    expect(result.notice.text).toBe("Export 'required-s3-permissions' changed: + training-metrics/experiments/*");
    const message = await watcher.waitForMessage((m) => m.type === 'export-changed');
    expect(message).toMatchObject({ notice_id: result.notice.id });
    for (const domain of ['billing', 'fungal-image-analysis']) expect(await readNotices(realmDir, domain)).toEqual([result.notice]);
    expect(await readNotices(realmDir, 'aperture')).toEqual([]);
  }, 30_000);

  it('notifyExportChanged tells each domain as soon as its own inbox holds the notice: no session is told before', async () => {
    const { realmDir } = await realmRuntime();
    const domains = Array.from({ length: 40 }, (_, i) => `consumer-${String(i).padStart(2, '0')}`);
    const seen: Array<{ domain: string; inInbox: boolean }> = [];
    const sessions = await Promise.all(domains.map((domain) => startSession({
      realmDir,
      domain,
      imports_watching: [{ from: 'aperture', contract: 'required-s3-permissions' }],
      onMessage: async (message) => {
        if (message.type !== 'export-changed') return;
        const notices = await readNotices(realmDir, domain);
        seen.push({ domain, inInbox: notices.some((n) => n.id === message.notice_id) });
      },
    })));
    onTestFinished(async () => {
      await Promise.all(sessions.map((s) => s.close()));
    });
    const result = await notifyExportChanged(realmDir, event, { timeoutMs: 5000 });
    expect(result.inboxes).toEqual(domains);
    expect(result.deliveries.map((d) => `${d.session.domain} ${String(d.delivered)}`).sort()).toEqual(domains.map((d) => `${d} true`));
    await expect.poll(() => seen.length).toBe(domains.length);
    expect(seen.filter((s) => !s.inInbox)).toEqual([]);
  }, 30_000);
});
