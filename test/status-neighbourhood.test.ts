import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { verifies } from '@blue/testkit';
import { CONSUMER, ok, repoOn, twoOrgs } from './two-orgs.js';

interface ProviderStatus {
  exports: Array<{ name: string; consumers: Array<{ domain: string; status: string }> }>;
}

// Issue 25: status reads its neighbourhood through an index of the realm's tree kept in BLUE_HOME.
// Another machine adding an importer makes a new tree: after its fetch, this machine's status
// lists the new consumer (the suite's cache check compares every such read with the whole realm).

describe('status by neighbourhood, two machines', () => {
  verifies('status-neighbourhood', "another machine adds an importer of this domain's export: status here, after its fetch, lists the new consumer", async () => {
    const { net, alice, carol, realmUrl, provider } = await twoOrgs();
    const statusOf = async (env: Record<string, string> = {}) => JSON.parse(await ok(alice, ['status', '--json'], provider, env)) as ProviderStatus;
    const before = await statusOf({ BLUE_FETCH_TTL: '0' });
    const contract = before.exports[0]?.name ?? '';
    expect(before.exports[0]?.consumers.map((c) => c.domain)).toEqual(['consumer']);

    // Carol, on her machine, joins a new domain and imports the provider's export.
    const reporter = await repoOn(carol, await net.remote('reporter.git'), 'reporter', CONSUMER);
    await ok(carol, ['realm', 'join', realmUrl, '--as', 'reporter'], reporter);
    await ok(carol, ['realm', 'import', '--contract', contract, '--from', 'provider', '--binding', 'iam/policy.py'], reporter);

    // Within the TTL alice's view is the one she had; past it, status fetches and sees the new importer.
    expect((await statusOf()).exports[0]?.consumers.map((c) => c.domain)).toEqual(['consumer']);
    const fresh = await statusOf({ BLUE_FETCH_TTL: '0' });
    expect(fresh.exports[0]?.consumers).toMatchObject([{ domain: 'consumer', status: 'current' }, { domain: 'reporter', status: 'current' }]);
    // One index per tree read, each named by its content: the old one was never stale, only no longer HEAD's.
    expect((await readdir(join(alice.env.BLUE_HOME ?? '', 'cache', 'realm-trees'))).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
