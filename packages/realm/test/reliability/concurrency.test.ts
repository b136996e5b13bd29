import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { git, LONG_TESTS, runBlue, type BlueRun } from '@blue/testkit';
import { createContext, exportContract } from '@blue/realm';
import { leftovers } from './end-state.js';
import { domainRealm, secondUser, type DomainRealm } from './realm-fixture.js';

const DOMAINS = 10;
/** Rounds of simultaneous syncs (a long test: BLUE_LONG_TESTS=1; sync-faults.test.ts runs 10 in-process syncs at once by default). */
const ROUNDS = 5;

interface SyncJson {
  commit?: string;
  pushed: boolean;
  push_attempts: number;
  exports: Array<{ name: string; status: string; to_version?: string }>;
}

interface TrackingFile {
  name: string;
  domains: Array<{ name: string; status: string; commits: number }>;
  coordination: { commits: Array<{ message: string; shas: Record<string, string | null> }> };
}

function blue(fx: DomainRealm, args: string[], cwd: string): Promise<BlueRun> {
  return runBlue(fx.box, args, { cwd, env: fx.env, timeoutMs: 120_000 });
}

describe('concurrent use of one realm', () => {
  it.runIf(LONG_TESTS)(`[long] ${DOMAINS} domains run \`blue realm sync\` at the same moment against one realm remote, ${ROUNDS} rounds: every export and every commit lands, the realm stays valid`, async () => {
    const fx = await domainRealm({ count: DOMAINS, clonePerDomain: true });
    const published: Array<{ domain: string; version: string; commit: string }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const repo of fx.repos) {
        await exportContract(createContext({ cwd: repo.dir, env: fx.env }), { name: 'service', value: JSON.stringify({ port: 8000 + round, host: `${repo.name}.internal` }) });
      }
      const runs = await Promise.all(fx.repos.map((repo) => blue(fx, ['realm', 'sync', '--json', '--no-notify'], repo.dir)));
      for (const [i, run] of runs.entries()) {
        expect(run.exitCode, `${fx.repos[i]?.name} round ${round}: ${run.stdout}${run.stderr}`).toBe(0);
        const result = run.json<SyncJson>();
        const service = result.exports.find((e) => e.name === 'service');
        expect(service?.status, `${fx.repos[i]?.name} round ${round}`).not.toBe('unchanged');
        expect(result.pushed).toBe(true);
        expect(result.push_attempts).toBeGreaterThan(0);
        published.push({ domain: fx.repos[i]?.name ?? '', version: service?.to_version ?? '', commit: result.commit ?? '' });
      }
    }
    const subjects = (await git(fx.box, fx.realmRemote, ['log', '--format=%s', 'main'])).split('\n');
    for (const p of published) {
      expect(subjects.filter((s) => s.startsWith(`${p.domain}: export`) && s.includes(`service@${p.version}`)), `${p.domain} ${p.version}`).toHaveLength(1);
      await git(fx.box, fx.realmRemote, ['merge-base', '--is-ancestor', p.commit, 'main']);
    }
    expect(published).toHaveLength(DOMAINS * ROUNDS);
    expect(await git(fx.box, fx.realmRemote, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
    const checker = join(fx.root, 'realm-check');
    await git(fx.box, fx.root, ['clone', '--quiet', fx.realmRemote, checker]);
    for (const repo of fx.repos) {
      const file = parse(await readFile(join(checker, 'domains', repo.name, 'exports.yaml'), 'utf8')) as { exports: Array<{ name: string; version: string; value: unknown }> };
      const last = published.filter((p) => p.domain === repo.name).at(-1);
      expect(file.exports.find((e) => e.name === 'service')).toMatchObject({ version: last?.version, value: { port: 8000 + ROUNDS - 1, host: `${repo.name}.internal` } });
    }
    const check = await blue(fx, ['realm', 'check'], fx.repos[0]?.dir ?? '');
    expect(check.exitCode, check.stdout).toBe(0);
    expect(await leftovers(fx)).toEqual([]);
  }, 600_000);

  it('2 users (two BLUE_HOMEs, two clones of everything) run worktree, commit twice and push for different branches in the same repos at once: each tracking file holds only its own branch and commits', async () => {
    const alice = await domainRealm({ count: 3 });
    const bob = await secondUser(alice);
    const users = [
      { fx: alice, rfc: 'alpha' },
      { fx: bob, rfc: 'beta' },
    ];
    const tree = (fx: DomainRealm, rfc: string, i: number): string => join(fx.repos[i]?.dir ?? '', '.worktrees', `feat-${rfc}`);
    const both = async (args: (rfc: string) => string[], cwd: (fx: DomainRealm, rfc: string) => string): Promise<void> => {
      const runs = await Promise.all(users.map(({ fx, rfc }) => blue(fx, args(rfc), cwd(fx, rfc))));
      for (const run of runs) expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    };
    await both((rfc) => ['realm', 'worktree', '--rfc', rfc], (fx) => fx.repos[0]?.dir ?? '');
    for (const step of [1, 2]) {
      for (const { fx, rfc } of users) for (let i = 0; i < fx.repos.length; i++) await appendFile(join(tree(fx, rfc, i), 'README.md'), `\n${rfc} step ${step}\n`);
      await both((rfc) => ['realm', 'commit', '-m', `${rfc}: step ${step}`], (fx, rfc) => tree(fx, rfc, 0));
    }
    await both(() => ['realm', 'push'], (fx, rfc) => tree(fx, rfc, 1));

    const checker = join(alice.root, 'realm-check');
    await git(alice.box, alice.root, ['clone', '--quiet', alice.realmRemote, checker]);
    for (const { rfc } of users) {
      const other = rfc === 'alpha' ? 'beta' : 'alpha';
      const file = parse(await readFile(join(checker, 'worktrees', `feat-${rfc}.yaml`), 'utf8')) as TrackingFile;
      expect(file.name).toBe(`feat/${rfc}`);
      expect(file.domains.map((d) => [d.name, d.status, d.commits])).toEqual(alice.repos.map((r) => [r.name, 'pushed', 2]));
      expect(file.coordination.commits.map((c) => c.message)).toEqual([`${rfc}: step 1`, `${rfc}: step 2`]);
      for (const commit of file.coordination.commits) {
        for (const repo of alice.repos) {
          const sha = commit.shas[repo.name] ?? '';
          expect(await git(alice.box, repo.remote, ['branch', '--contains', sha, '--format=%(refname:short)']), `${rfc} ${repo.name}`).toBe(`feat/${rfc}`);
          expect(await git(alice.box, repo.remote, ['log', '--format=%s', '-1', sha])).toBe(commit.message);
          expect(await git(alice.box, repo.remote, ['log', '--format=%s', `feat/${other}`])).not.toContain(`${rfc}: step`);
        }
      }
    }
    for (const { fx } of users) {
      const index = await readFile(join(fx.box.env.BLUE_HOME ?? '', 'index.yaml'), 'utf8');
      expect(index).toContain(fx.root);
      // Paths are this user's own; the realm's URL (the shared remote) may live anywhere.
      expect(index.split('\n').filter((line) => line.trim().startsWith('path:')).join('\n')).not.toContain((fx === alice ? bob : alice).root);
      expect(await git(fx.box, fx.realm, ['status', '--porcelain'])).toBe('');
      expect(await leftovers(fx)).toEqual([]);
    }
    const check = await blue(alice, ['realm', 'check'], checker);
    expect(check.exitCode, check.stdout).toBe(0);
  }, 300_000);
});
