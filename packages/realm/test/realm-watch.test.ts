import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, tempDir, verifies } from '@blue/testkit';
import { createContext, listRealmSessions, readInboxNotices, readWatchState, startDomainSession, startRealmWatch, syncRealm, type LiveMessage } from '@blue/realm';
import { commitFile, EXPERIMENTS, sharedRealm } from './helpers.js';

const SWEEPS = 'from aperture import storage\n\n\ndef export_sweep(path: str) -> None:\n    storage.upload_file(path, "s3://cultivarium-fungal/sweeps/latest.json")\n';

describe('the realm watcher', () => {
  verifies('live-across-machines', 'one leader per realm per machine; a publish from elsewhere becomes one notice and one message; the same notice over the socket is not sent again; a rewritten history warns without a flood; a hanging remote is bounded and reported', async () => {
    const { box, aperture, fungal, fungalRealm, remote } = await sharedRealm();
    // The timer stays out of the way (600 s): the test drives each look with tick().
    const env = { ...box.env, BLUE_WATCH_INTERVAL: '600' };
    const ctx = createContext({ cwd: fungal.dir, env });
    const heard: LiveMessage[] = [];
    const live = await startDomainSession(ctx, { onMessage: (m) => void heard.push(m) });
    if (live === undefined) throw new Error('fungal is a domain');
    const warnings: string[] = [];
    const realm = { name: 'letemcook', path: fungalRealm };
    const leader = startRealmWatch(ctx, realm, live.runtime_dir, { warning: (t) => void warnings.push(t) });
    const follower = startRealmWatch(ctx, realm, live.runtime_dir);
    try {
      await leader?.tick();
      await follower?.tick();
      expect([leader?.leading, follower?.leading]).toEqual([true, false]);

      // Aperture publishes from "another machine" (a runtime folder of its own): no socket reaches fungal.
      const elsewhere = createContext({ cwd: aperture.dir, env: { ...box.env, BLUE_RUNTIME_DIR: await tempDir() } });
      await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
      await syncRealm(elsewhere);
      await leader?.tick();
      await until(() => heard.length >= 1);
      expect(heard).toMatchObject([{ type: 'export-changed', from: 'aperture', new_version: '1.1.0', changes: ['+ experiments/* (write)'] }]);
      expect(await git(box, fungalRealm, ['rev-parse', 'HEAD'])).toBe(await git(box, remote, ['rev-parse', 'main']));
      await leader?.tick();
      expect((await readInboxNotices(live.runtime_dir, 'fungal-image-analysis')).map((n) => n.new_version)).toEqual(['1.1.0']);

      // The same machine's sync tells fungal over the socket; the watcher then adds nothing.
      await commitFile(box, aperture.dir, 'models/training/sweeps.py', SWEEPS);
      await syncRealm(createContext({ cwd: aperture.dir, env: box.env }));
      await until(() => heard.length >= 2);
      await leader?.tick();
      await new Promise((r) => setTimeout(r, 200));
      expect(heard.map((m) => (m.type === 'export-changed' ? m.new_version : m.type))).toEqual(['1.1.0', '1.2.0']);
      const inbox = await readFile(join(live.runtime_dir, 'inbox', 'fungal-image-analysis.jsonl'), 'utf8');
      expect(inbox.trim().split('\n')).toHaveLength(2);

      // History rewritten on the remote: a warning, the clone follows, no notice twice.
      const apertureRealm = join(box.root, 'realm-letemcook');
      await git(box, apertureRealm, ['pull', '-q']);
      await git(box, apertureRealm, ['commit', '-q', '--amend', '-m', 'rewritten']);
      await git(box, apertureRealm, ['push', '-q', '--force']);
      await leader?.tick();
      expect(warnings.join('\n')).toContain('rewritten');
      expect((await readWatchState(live.runtime_dir))?.rewritten_at).toBeDefined();
      expect(await git(box, fungalRealm, ['rev-parse', 'HEAD'])).toBe(await git(box, remote, ['rev-parse', 'main']));
      expect(heard).toHaveLength(2);

      // A remote that hangs: the look is cut at BLUE_FETCH_TIMEOUT_MS and reported; the last reach is kept.
      const reached = (await readWatchState(live.runtime_dir))?.reached_at;
      const hanging = createContext({
        cwd: fungal.dir,
        env: { ...env, BLUE_FETCH_TIMEOUT_MS: '300', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'remote.origin.uploadpack', GIT_CONFIG_VALUE_0: 'exec 2>/dev/null; sleep 5; git-upload-pack' },
      });
      const stuck = startRealmWatch(hanging, realm, live.runtime_dir, { warning: (t) => void warnings.push(t) });
      await leader?.close();
      const started = Date.now();
      await stuck?.tick();
      expect(Date.now() - started).toBeLessThan(3000);
      const state = await readWatchState(live.runtime_dir);
      expect(state).toMatchObject({ error: { code: 'REALM_UNREACHABLE' }, reached_at: reached });
      expect((await listRealmSessions(ctx)).watch?.error?.code).toBe('REALM_UNREACHABLE');
      await stuck?.close();
    } finally {
      await leader?.close();
      await follower?.close();
      await live.session.close();
    }
  }, 60_000);
});

describe('the realm watcher and the clock', () => {
  verifies('live-across-machines', 'a grace period entering its last day is told (grace-ending) with nothing moving in the realm; each notice once', async () => {
    const { box, aperture, fungal, fungalRealm } = await sharedRealm();
    let clock = new Date();
    const env = { ...box.env, BLUE_WATCH_INTERVAL: '600' };
    const ctx = createContext({ cwd: fungal.dir, env, now: () => clock });
    const heard: LiveMessage[] = [];
    const live = await startDomainSession(ctx, { onMessage: (m) => void heard.push(m) });
    if (live === undefined) throw new Error('fungal is a domain');
    const watch = startRealmWatch(ctx, { name: 'letemcook', path: fungalRealm }, live.runtime_dir);
    const kinds = () => heard.map((m) => (m.type === 'realm-notice' ? m.notice.kind : m.type));
    try {
      await watch?.tick();
      // aperture (an approver: the box's identity) drops a path: 2.0.0 is approved at once; fungal imports ^1.
      await writeFile(join(aperture.dir, 'models/training/runs.py'), '"""Runs moved elsewhere."""\n');
      await git(box, aperture.dir, ['commit', '-qam', 'drop runs']);
      await syncRealm(createContext({ cwd: aperture.dir, env: { ...box.env, BLUE_RUNTIME_DIR: await tempDir() }, now: () => clock }));
      await watch?.tick();
      await until(() => kinds().length >= 2);
      expect(kinds()).toEqual(['export-changed', 'grace-started']);
      const deadline = heard.flatMap((m) => (m.type === 'realm-notice' ? [m.notice.until ?? ''] : []))[0] ?? '';
      // Nothing moves; the clock reaches the last day of the grace period.
      clock = new Date(Date.parse(deadline) - 3_600_000);
      await watch?.tick();
      await until(() => kinds().length >= 3);
      await watch?.tick();
      await new Promise((r) => setTimeout(r, 200));
      expect(kinds()).toEqual(['export-changed', 'grace-started', 'grace-ending']);
      expect((await readInboxNotices(live.runtime_dir, 'fungal-image-analysis')).map((n) => n.kind)).toEqual(['export-changed', 'grace-started', 'grace-ending']);
    } finally {
      await watch?.close();
      await live.session.close();
    }
  }, 60_000);
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
