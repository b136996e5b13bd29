import { describe, expect } from 'vitest';
import { git, runBlue, verifies } from '@blue/testkit';
import { domainRealm, secondUser } from './realm-fixture.js';

describe('blue realm leave reaches everyone', () => {
  verifies('leave-reaches-remote', 'a domain that leaves is pushed to the realm remote: another user\'s clone, once pulled, no longer has it', async () => {
    const fx = await domainRealm({ count: 3 });
    const other = await secondUser(fx);
    const leaver = fx.repos[2]?.dir ?? '';
    const leave = await runBlue(fx.box, ['realm', 'leave', '--json'], { cwd: leaver, env: fx.env, timeoutMs: 60_000 });
    expect(leave.exitCode, leave.stdout + leave.stderr).toBe(0);
    const result = leave.json<{ commit?: string; realm_push: { status: string; attempts: unknown[] } }>();
    expect(result.realm_push).toMatchObject({ status: 'pushed', attempts: [{ attempt: 1, outcome: 'pushed' }] });
    expect(await git(fx.box, fx.realmRemote, ['rev-parse', 'main'])).toBe(result.commit);
    expect(await git(fx.box, fx.realmRemote, ['ls-tree', '--name-only', 'main', 'domains/'])).toBe('domains/.gitkeep\ndomains/d00\ndomains/d01');

    // The other user's clone still lists d02 until it pulls; then the realm says it is gone.
    await git(other.box, other.realm, ['pull', '--quiet', '--rebase']);
    const graph = await runBlue(other.box, ['realm', 'graph', '--json'], { cwd: other.repos[0]?.dir ?? '', env: other.env, timeoutMs: 60_000 });
    expect(graph.exitCode, graph.stdout + graph.stderr).toBe(0);
    expect(graph.stdout).not.toContain('"d02"');
    expect(graph.stdout).toContain('"d01"');
  }, 120_000);
});
