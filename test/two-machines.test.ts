import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { BLUE_BIN, spawnMcp, verifies, writeTree } from '@blue/testkit';
import { ok, publishNewPath, twoOrgs, type StatusJson } from './two-orgs.js';

/**
 * One realm, many machines: the provider (alice) and the consumer (bob) each on their own
 * machine, sharing only the bare remotes of a server. Nobody pulls by hand.
 */


describe('one realm, many machines', () => {
  verifies('realm-by-url-fresh', 'the consumer on another machine sees the provider\'s publish without pulling (CLI and MCP), and join by URL records no machine path', async () => {
    const { alice, bob, realmUrl, provider, consumer } = await twoOrgs();
    const config = parse(await readFile(join(consumer, '.blue', 'config.yaml'), 'utf8')) as { realm: Record<string, string> };
    expect(config.realm).toEqual({ name: 'two-orgs', url: realmUrl, domain: 'consumer' });
    const before = JSON.parse(await ok(bob, ['status', '--json'], consumer)) as StatusJson;
    expect(before.imports).toMatchObject([{ from: 'provider', status: 'current' }]);
    expect(before.realm).toMatchObject({ name: 'two-orgs', url: realmUrl, behind: 0, ahead: 0, offline: false });
    expect(before.realm.path).toBe(join(bob.env.BLUE_HOME ?? '', 'realms', 'two-orgs'));

    await publishNewPath(alice, provider);
    // Within the TTL, bob's view is the one he fetched at join: status says when that was.
    const cached = JSON.parse(await ok(bob, ['status', '--json'], consumer)) as StatusJson;
    expect(cached.realm.fetched_at).toBeDefined();
    // Past it, status fetches by itself and sees 1.1.0.
    const fresh = JSON.parse(await ok(bob, ['status', '--json'], consumer, { BLUE_FETCH_TTL: '0' })) as StatusJson;
    expect(fresh.imports).toMatchObject([{ from: 'provider', status: 'stale', available: '1.1.0' }]);
    // No session ran on bob's machine: the notice is the one the realm implies.
    expect(fresh.notices).toMatchObject([{ from: 'provider', new_version: '1.1.0' }]);
    expect(fresh.realm).toMatchObject({ behind: 0, ahead: 0 });
    const strict = await bob.blue(['status', '--strict'], consumer);
    expect(strict.exitCode).toBe(1);

    const mcp = await spawnMcp(bob.box, { cwd: consumer, env: bob.env });
    const result = await mcp.client.callTool({ name: 'blue_status', arguments: {} });
    expect(result.structuredContent).toMatchObject({ realm: { url: realmUrl }, imports: [{ status: 'stale', available: '1.1.0' }] });
  }, 120_000);

  verifies('realm-by-url-fresh', 'a teammate\'s fresh clone works with no setup, from the main checkout and from a worktree; joining again from it changes no committed file', async () => {
    const { alice, carol, consumerRemote, providerRemote, realmUrl } = await twoOrgs();
    const mine = await carol.clone(consumerRemote, 'consumer');
    const status = JSON.parse(await ok(carol, ['status', '--json'], mine)) as StatusJson;
    expect(status.realm.path).toBe(join(carol.env.BLUE_HOME ?? '', 'realms', 'two-orgs'));
    const index = await readFile(join(carol.env.BLUE_HOME ?? '', 'index.yaml'), 'utf8');
    expect(index).toContain(`path: ${mine}`);
    expect(index).toContain(`url: ${realmUrl}`);
    const rejoin = JSON.parse(await ok(carol, ['realm', 'join', realmUrl, '--as', 'consumer', '--json'], mine)) as { status: string; files: { repo: string[] } };
    expect(rejoin).toMatchObject({ status: 'already-member', files: { repo: [] } });
    expect(await carol.git(mine, ['status', '--porcelain'])).toBe('');

    // Alice's worktree of the provider: status there resolves the realm as the main checkout does.
    const provider = join(alice.root, 'provider');
    await ok(alice, ['realm', 'worktree', '--rfc', 'wt', '--domains', 'provider'], provider);
    const tree = join(provider, '.worktrees', 'feat-wt');
    expect(JSON.parse(await ok(alice, ['status', '--json'], tree)) as StatusJson).toMatchObject({ realm: { name: 'two-orgs' } });
    const mcp = await spawnMcp(alice.box, { cwd: tree, env: alice.env });
    const result = await mcp.client.callTool({ name: 'blue_status', arguments: {} });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    // The blue-mcp started in the worktree registered its live session, seen from the main checkout.
    let sessions: Array<{ domain: string }> = [];
    for (let i = 0; i < 100 && sessions.length === 0; i++) {
      sessions = (JSON.parse(await ok(alice, ['realm', 'sessions', '--json'], provider)) as { sessions: Array<{ domain: string }> }).sessions;
      if (sessions.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sessions.map((x) => x.domain)).toEqual(['provider']);
    // A plain git worktree too.
    await alice.git(provider, ['worktree', 'add', '--quiet', join(alice.root, 'provider-hotfix'), '-b', 'hotfix']);
    await ok(alice, ['realm', 'check'], join(alice.root, 'provider-hotfix'));
    expect(providerRemote).toBeDefined();
  }, 120_000);

  verifies('realm-by-url-fresh', 'offline never fetches; an unreachable remote is a warning naming its URL (strict: exit 1), and the answer comes from the local view', async () => {
    const { alice, bob, net, provider, consumer, realmUrl } = await twoOrgs();
    await publishNewPath(alice, provider);
    const offline = JSON.parse(await ok(bob, ['status', '--json', '--offline'], consumer, { BLUE_FETCH_TTL: '0' })) as StatusJson;
    expect(offline.realm.offline).toBe(true);
    expect(offline.imports).toMatchObject([{ status: 'current' }]);

    await rename(realmUrl, `${realmUrl}.away`);
    const unreachable = JSON.parse(await ok(bob, ['status', '--json'], consumer, { BLUE_FETCH_TTL: '0' })) as StatusJson;
    expect(unreachable.realm.warning).toMatchObject({ code: 'REALM_UNREACHABLE' });
    expect(unreachable.imports).toMatchObject([{ status: 'current' }]);
    const strict = await bob.blue(['status', '--strict'], consumer, { BLUE_FETCH_TTL: '0' });
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toContain(`the realm's remote ${realmUrl} could not be reached`);
    expect(net.server.root).toBeDefined();
  }, 120_000);

  verifies('realm-by-url-fresh', 'a CI runner with only the code repo and no BLUE_HOME: status, check and sync work non-interactively', async () => {
    const { carol, providerRemote, alice, provider, realmUrl } = await twoOrgs({ bare: true });
    await publishNewPath(alice, provider);
    await writeTree(provider, { 'src/more.py': 'x = "s3://two-machines/more/{x}/y.json"\n' });
    await alice.git(provider, ['add', '--all']);
    await alice.git(provider, ['commit', '--quiet', '-m', 'more']);
    await alice.git(provider, ['push', '--quiet']);
    const checkout = await carol.clone(providerRemote, 'provider');
    expect(carol.env.BLUE_HOME).toBeUndefined();
    const status = JSON.parse(await ok(carol, ['status', '--json'], checkout)) as StatusJson;
    // On a CI runner the realm clone is shallow; check, which reads history, deepens it.
    expect(await carol.git(status.realm.path, ['rev-parse', '--is-shallow-repository'])).toBe('true');
    expect(await carol.git(status.realm.path, ['remote', 'get-url', 'origin'])).toBe(realmUrl);
    await ok(carol, ['realm', 'check'], checkout);
    expect(await carol.git(status.realm.path, ['rev-parse', '--is-shallow-repository'])).toBe('false');
    const sync = JSON.parse(await ok(carol, ['realm', 'sync', '--json', '--no-notify'], checkout)) as { pushed: boolean; exports: Array<{ to_version?: string }> };
    expect(sync).toMatchObject({ pushed: true, exports: [{ to_version: '1.2.0' }] });
    expect(await readFile(join(carol.env.HOME ?? '', '.blue', 'index.yaml'), 'utf8')).toContain('two-orgs');
  }, 120_000);
  verifies('realm-by-url-fresh', 'a command killed mid-clone leaves no half clone in use; four commands needing the clone at once make one clone', async () => {
    const { carol, consumerRemote, providerRemote, realmUrl } = await twoOrgs();
    // A git that finishes the clone into Blue's temp folder, says so, then stalls: Blue is SIGKILLed before it renames the clone into place.
    const slow = join(carol.root, 'slow-git');
    const cloned = join(carol.root, 'cloned');
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    await mkdir(slow, { recursive: true });
    await writeFile(join(slow, 'git'), `#!/bin/sh\ncase " $* " in *" clone "*) ${real} "$@"; s=$?; touch ${cloned}; sleep 5; exit $s;; esac\nexec ${real} "$@"\n`);
    await chmod(join(slow, 'git'), 0o755);
    const mine = await carol.clone(consumerRemote, 'consumer');
    const child = spawn(process.execPath, [BLUE_BIN, 'status', '--json'], { cwd: mine, env: { ...carol.env, PATH: `${slow}:${process.env.PATH ?? ''}` }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for (let i = 0; i < 300 && !(await stat(cloned).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const realms = join(carol.env.BLUE_HOME ?? '', 'realms');
    expect((await readdir(realms)).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    const after = await carol.blue(['status', '--json'], mine);
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
    expect(after.json<StatusJson>().realm.path).toBe(join(realms, 'two-orgs'));
    expect((await readdir(realms)).filter((f) => !f.endsWith('.lock'))).toEqual(['two-orgs']);

    // Four commands at once in another fresh clone, on a machine with no realm clone yet.
    await rename(realms, `${realms}.before`);
    await writeFile(join(carol.env.BLUE_HOME ?? '', 'index.yaml'), 'realms: []\n');
    const other = await carol.clone(providerRemote, 'provider');
    const runs = await Promise.all([mine, other, mine, other].map((cwd) => carol.blue(['status', '--json'], cwd)));
    for (const run of runs) expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(new Set(runs.map((r) => r.json<StatusJson>().realm.path))).toEqual(new Set([join(realms, 'two-orgs')]));
    expect((await readdir(realms)).filter((f) => !f.endsWith('.lock'))).toEqual(['two-orgs']);
    const index = parse(await readFile(join(carol.env.BLUE_HOME ?? '', 'index.yaml'), 'utf8')) as { realms: Array<{ url?: string; local_path: string }> };
    expect(index.realms.filter((r) => r.url === realmUrl).map((r) => r.local_path)).toEqual([join(realms, 'two-orgs')]);
  }, 120_000);
});
