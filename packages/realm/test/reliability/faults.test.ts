import { appendFile, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { git, runBlue, type BlueRun } from '@blue/testkit';
import { leftovers } from './end-state.js';
import { domainRealm, growProviderExport, type DomainRealm } from './realm-fixture.js';

const PRELOAD = fileURLToPath(new URL('./enospc-preload.mjs', import.meta.url));
const RFC = 'faulty';
const SLUG = `feat-${RFC}`;

interface ErrorJson {
  error: { code: string; message: string; hint?: string };
}

function blue(fx: DomainRealm, args: string[], options: { repo?: number; cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<BlueRun> {
  const cwd = options.cwd ?? fx.repos[options.repo ?? 0]?.dir ?? fx.root;
  return runBlue(fx.box, args, { cwd, env: { ...fx.env, ...options.env }, timeoutMs: 60_000 });
}

/** The realm clone and its remote, to show nothing moved. */
async function realmHeads(fx: DomainRealm): Promise<{ clone: string; remote: string; status: string }> {
  return {
    clone: await git(fx.box, fx.realm, ['rev-parse', 'HEAD']),
    remote: await git(fx.box, fx.realmRemote, ['rev-parse', 'main']),
    status: await git(fx.box, fx.realm, ['status', '--porcelain']),
  };
}

/** A unified worktree with a committed, pushed change in every repo: ready for `blue realm pr`. */
async function readyForPr(fx: DomainRealm): Promise<string> {
  expect((await blue(fx, ['realm', 'worktree', '--rfc', RFC])).exitCode).toBe(0);
  for (const repo of fx.repos) await appendFile(join(repo.dir, '.worktrees', SLUG, 'README.md'), `\n${RFC}\n`);
  const tree = join(fx.repos[0]?.dir ?? '', '.worktrees', SLUG);
  expect((await blue(fx, ['realm', 'commit', '-m', 'feat: faulty'], { cwd: tree })).exitCode).toBe(0);
  expect((await blue(fx, ['realm', 'push'], { cwd: tree })).exitCode).toBe(0);
  return tree;
}

describe('faults: each a coded error with its exit code, nothing half-written, the next run completes', () => {
  it('the realm remote gone: sync and worktree fail with GIT_FAILED (exit 5) before changing anything', async () => {
    const fx = await domainRealm({ count: 3 });
    await growProviderExport(fx, 'unreachable');
    await rename(fx.realmRemote, `${fx.realmRemote}.away`);
    const before = await git(fx.box, fx.realm, ['rev-parse', 'HEAD']);
    const unreachable = await blue(fx, ['realm', 'sync', '--json']);
    expect(unreachable.exitCode).toBe(5);
    expect(unreachable.json<ErrorJson>().error).toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('origin') });
    expect(await git(fx.box, fx.realm, ['rev-parse', 'HEAD'])).toBe(before);
    expect(await git(fx.box, fx.realm, ['status', '--porcelain'])).toBe('');

    const removed = await blue(fx, ['realm', 'worktree', '--rfc', RFC, '--json']);
    expect(removed.exitCode).toBe(5);
    expect(removed.json<ErrorJson>().error.code).toBe('GIT_FAILED');
    for (const repo of fx.repos) {
      await expect(readdir(join(repo.dir, '.worktrees'))).rejects.toThrow();
      expect(await git(fx.box, repo.dir, ['branch', '--format=%(refname:short)'])).toBe('main');
    }
    const human = await blue(fx, ['realm', 'sync']);
    expect(human.exitCode).toBe(5);
    expect(human.stderr).not.toMatch(/\n\s+at /);
    expect(await leftovers(fx)).toEqual([]);
    await rename(`${fx.realmRemote}.away`, fx.realmRemote);

    expect((await blue(fx, ['realm', 'sync'])).exitCode).toBe(0);
    expect(await git(fx.box, fx.realmRemote, ['log', '--format=%s', '-1', 'main'])).toBe('d00: export required-s3-permissions@1.1.0');
    expect((await blue(fx, ['realm', 'worktree', '--rfc', RFC])).exitCode).toBe(0);
    for (const repo of fx.repos) expect(await readdir(join(repo.dir, '.worktrees'))).toEqual([SLUG]);
    expect(await realmHeads(fx)).toMatchObject({ status: '' });
    expect(await leftovers(fx)).toEqual([]);
  });

  it('GitHub answering 500: a read is retried and succeeds; a failed create is reported per consumer (GITHUB_API), the publish stays, the next sync notifies once', async () => {
    const fx = await domainRealm({ count: 3, github: true });
    const standIn = fx.standIn!;
    await growProviderExport(fx, 'five-hundred');
    standIn.failNext({ status: 502, method: 'GET', times: 1 });
    standIn.failNext({ status: 500, method: 'POST', path: /\/issues$/, times: 2 });
    const sync = await blue(fx, ['realm', 'sync', '--json']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    const result = sync.json<{ pushed: boolean; notifications: Array<{ consumer: string; status: string; error?: { code: string; message: string } }>; next_steps: string[] }>();
    expect(result.pushed).toBe(true);
    expect(result.notifications.map((n) => [n.consumer, n.status, n.error?.code])).toEqual([['d01', 'failed', 'GITHUB_API'], ['d02', 'failed', 'GITHUB_API']]);
    expect(result.notifications[0]?.error?.message).toContain('500');
    expect(result.next_steps.join('\n')).toContain('the next blue realm sync retries');
    expect(standIn.requests.filter((r) => r.status === 502)).toHaveLength(1);
    expect(standIn.state.issues()).toEqual([]);

    const again = await blue(fx, ['realm', 'sync', '--json']);
    expect(again.exitCode).toBe(0);
    expect(again.json<{ notifications: Array<{ status: string }> }>().notifications.map((n) => n.status)).toEqual(['created', 'created']);
    const third = await blue(fx, ['realm', 'sync', '--json']);
    expect(third.json<{ notifications: Array<{ status: string }> }>().notifications.map((n) => n.status)).toEqual(['exists', 'exists']);
    expect(standIn.state.issues().map((i) => i.repo).sort()).toEqual(['reliability/d01', 'reliability/d02']);
    expect(await leftovers(fx)).toEqual([]);
  });

  it('a 403 rate limit resetting in an hour fails pr at once (GITHUB_API, exit 5, the reset named); one resetting in a second is waited for; no PR is opened twice', async () => {
    const fx = await domainRealm({ count: 3, github: true });
    const standIn = fx.standIn!;
    const tree = await readyForPr(fx);
    const inAnHour = String(Math.floor(Date.now() / 1000) + 3600);
    standIn.failNext({ status: 403, method: 'POST', path: '/repos/reliability/d01/pulls', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': inAnHour }, body: { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' } });
    const limited = await blue(fx, ['realm', 'pr', '--json'], { cwd: tree });
    expect(limited.exitCode).toBe(5);
    const pulls = limited.json<{ pulls: Array<{ domain: string; status: string; error?: { code: string; message: string; hint?: string } }> }>().pulls;
    expect(pulls.map((p) => [p.domain, p.status])).toEqual([['d00', 'ok'], ['d01', 'failed'], ['d02', 'ok']]);
    expect(pulls[1]?.error).toMatchObject({ code: 'GITHUB_API', message: expect.stringMatching(/rate limit resets in 3\d{3} s/) });
    expect(standIn.state.pulls().map((p) => p.repo).sort()).toEqual(['reliability/d00', 'reliability/d02']);

    const soon = String(Math.floor(Date.now() / 1000) + 1);
    standIn.failNext({ status: 403, method: 'POST', path: '/repos/reliability/d01/pulls', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': soon } });
    const waited = await blue(fx, ['realm', 'pr', '--json'], { cwd: tree });
    expect(waited.exitCode, waited.stdout).toBe(0);
    expect(waited.json<{ pulls: Array<{ created: boolean }> }>().pulls.map((p) => p.created)).toEqual([false, true, false]);
    expect(standIn.requests.filter((r) => r.status === 403)).toHaveLength(2);
    expect(standIn.state.pulls().map((p) => p.repo).sort()).toEqual(['reliability/d00', 'reliability/d01', 'reliability/d02']);
    expect(await leftovers(fx)).toEqual([]);
  });

  it('GitHub not answering: BLUE_GITHUB_TIMEOUT_MS bounds each request (GITHUB_API "no answer within"), nothing opened; the next pr opens each PR once', async () => {
    const fx = await domainRealm({ count: 2, github: true });
    const standIn = fx.standIn!;
    const tree = await readyForPr(fx);
    standIn.failNext({ status: 500, delayMs: 10_000, times: 2 });
    const started = Date.now();
    const hung = await blue(fx, ['realm', 'pr', '--json'], { cwd: tree, env: { BLUE_GITHUB_TIMEOUT_MS: '400' } });
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(hung.exitCode).toBe(5);
    const pulls = hung.json<{ pulls: Array<{ status: string; error?: { code: string; message: string } }> }>().pulls;
    expect(pulls.map((p) => [p.status, p.error?.code])).toEqual([['failed', 'GITHUB_API'], ['failed', 'GITHUB_API']]);
    expect(pulls[0]?.error?.message).toContain('no answer within 0.4 s');
    expect(standIn.state.pulls()).toEqual([]);
    const again = await blue(fx, ['realm', 'pr', '--json'], { cwd: tree });
    expect(again.exitCode, again.stdout + JSON.stringify(standIn.requests.map((r) => [r.method, r.path, r.status]))).toBe(0);
    expect(standIn.state.pulls()).toHaveLength(2);
    expect(await leftovers(fx)).toEqual([]);
  });

  it('a full disk (ENOSPC) while writing a realm file in sync, or .blue/config.yaml in join: DISK_FULL, exit 5, no temp file or half a file; the rerun completes', async () => {
    const fx = await domainRealm({ count: 3, joined: 2 });
    const full = (path: string) => ({ NODE_OPTIONS: `--import=${PRELOAD}`, BLUE_TEST_ENOSPC_PATH: path });
    await growProviderExport(fx, 'disk');
    const before = await realmHeads(fx);
    const sync = await blue(fx, ['realm', 'sync', '--json'], { env: full('exports.yaml') });
    expect(sync.exitCode, sync.stdout + sync.stderr).toBe(5);
    expect(sync.json<ErrorJson>().error).toMatchObject({ code: 'DISK_FULL', message: expect.stringContaining('realm/domains/d00/exports.yaml (ENOSPC)'), hint: expect.stringContaining('run the same command again') });
    expect(await realmHeads(fx)).toEqual(before);
    expect(await leftovers(fx)).toEqual([]);
    const human = await blue(fx, ['realm', 'sync'], { env: full('exports.yaml') });
    expect(human.stderr).toContain('No space left to write');
    expect(human.stderr).not.toMatch(/\n\s+at /);
    expect((await blue(fx, ['realm', 'sync'])).exitCode).toBe(0);
    expect(await git(fx.box, fx.realmRemote, ['log', '--format=%s', '-1', 'main'])).toBe('d00: export required-s3-permissions@1.1.0');

    const join_ = await blue(fx, ['realm', 'join', '../realm', '--as', 'd02', '--json'], { repo: 2, env: full('config.yaml') });
    expect(join_.exitCode).toBe(5);
    expect(join_.json<ErrorJson>().error.code).toBe('DISK_FULL');
    expect(await leftovers(fx)).toEqual([]);
    // Nothing of .blue/ was written (the folder may not even exist: the disk filled at its lock).
    expect(await readdir(join(fx.repos[2]?.dir ?? '', '.blue')).catch(() => [])).toEqual([]);
    const rejoin = await blue(fx, ['realm', 'join', '../realm', '--as', 'd02', '--json'], { repo: 2 });
    expect(rejoin.exitCode, rejoin.stdout).toBe(0);
    expect(rejoin.json<{ status: string }>().status).toBe('already-member');
    expect((await blue(fx, ['status'], { repo: 2 })).exitCode).toBe(0);
    expect((await blue(fx, ['realm', 'check'])).exitCode).toBe(0);
    expect(await leftovers(fx)).toEqual([]);
  });
});
