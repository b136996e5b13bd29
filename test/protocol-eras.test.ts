import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, letemcookScenario, MCP_PROTOCOLS, runBlue, sandbox, spawnMcp, verifies } from '@blue/testkit';

const STATUS_URI = 'blue://realm/status';
const EXPERIMENTS = 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}")\n';

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))]);
}

describe('one blue-mcp, both protocol eras', () => {
  for (const protocol of MCP_PROTOCOLS) {
    verifies(['mcp-protocol-eras', 'export-change-broadcast'], `${protocol}: tools and resources work, and aperture's publish reaches fungal's client as resources/updated`, async () => {
      const box = await sandbox();
      const s = await letemcookScenario(box, { under: protocol });
      const fungal = await spawnMcp(box, { cwd: s.fungal.dir, protocol });
      expect(fungal.client.getNegotiatedProtocolVersion()).toBe(protocol);
      expect(fungal.client.getServerVersion()).toMatchObject({ name: 'blue-mcp' });

      const status = await fungal.client.callTool({ name: 'blue_status', arguments: {} });
      expect(status.structuredContent).toMatchObject({ domain: 'fungal-image-analysis', imports: [{ contract: 'required-s3-permissions', status: 'current' }], uncommitted: [] });
      const read = await fungal.client.readResource({ uri: STATUS_URI });
      const first = read.contents[0];
      expect(JSON.parse(first && 'text' in first ? first.text : '{}')).toMatchObject({ domain: 'fungal-image-analysis' });

      // The session registers itself once the connection is up; wait until aperture's sync can see it.
      await expect.poll(async () => (await runBlue(box, ['realm', 'sessions', '--json'], { cwd: s.fungal.dir })).json<{ sessions: unknown[] }>().sessions.length, { timeout: 10_000 }).toBe(1);
      const updated = new Promise<string>((resolve) => fungal.client.setNotificationHandler('notifications/resources/updated', (n) => resolve(n.params.uri)));
      if (protocol === '2026-07-28') {
        const subscription = await fungal.client.listen({ resourceSubscriptions: [STATUS_URI] });
        expect(subscription.honoredFilter).toMatchObject({ resourceSubscriptions: [STATUS_URI] });
      } else {
        await fungal.client.subscribeResource({ uri: STATUS_URI });
      }

      await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), EXPERIMENTS);
      await git(box, s.aperture.dir, ['add', '--all']);
      await git(box, s.aperture.dir, ['commit', '-qm', 'experiments']);
      const sync = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir });
      expect(sync.json()).toMatchObject({ live: { announcements: [{ export: 'required-s3-permissions', version: '1.1.0', sessions: 1, delivered: 1 }] } });
      expect(await within(updated, 10_000, 'no resources/updated')).toBe(STATUS_URI);
      const after = await fungal.client.callTool({ name: 'blue_status', arguments: {} });
      expect(after.structuredContent).toMatchObject({ imports: [{ available: '1.1.0' }], notices: [{ from: 'aperture', new_version: '1.1.0' }] });
    });
  }

  verifies('mcp-protocol-eras', '2025-06-18: the older 2025 revision is served too (initialize negotiates it; tools answer)', async () => {
    const box = await sandbox();
    const { client } = await spawnMcp(box, { protocol: '2025-06-18' });
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-06-18');
    const result = await client.callTool({ name: 'blue_realm_init', arguments: { name: 'letemcook', path: 'realm' } });
    expect(result.structuredContent).toMatchObject({ realm: { name: 'letemcook', path: join(box.root, 'realm') } });
  });
});
