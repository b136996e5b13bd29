import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { git, LONG_TESTS, runBlue, spawnMcp, verifies, type BlueRun } from '@blue/testkit';
import { createContext, exportContract, syncRealm } from '@blue/realm';
import { leftovers } from './end-state.js';
import { domainRealm, growProviderExport, type DomainRealm } from './realm-fixture.js';

/**
 * Many writers on one machine, as on a developer's laptop: every domain repo uses the same realm
 * clone (`../realm`), and commands run at the same moment as separate processes (or as parallel
 * calls to one blue-mcp). After each round, every command that said it succeeded has its write on
 * the realm's remote, the clone is clean, `blue realm check` passes and git finds nothing wrong.
 */

const ROUNDS = LONG_TESTS ? 6 : 2;
/** Steps every sync with something to publish reaches (after `realm:committed` another writer of the clone may push its commit for it). */
const KILL_STEPS = ['realm:files-written', 'realm:committed'] as const;

function blue(fx: DomainRealm, args: string[], cwd: string, env: Record<string, string> = {}): Promise<BlueRun> {
  return runBlue(fx.box, args, { cwd, env: { ...fx.env, ...env }, timeoutMs: 120_000 });
}

/** A realm file as the realm's remote has it on main, parsed; undefined when it is not there. */
async function remoteYaml<T>(fx: DomainRealm, path: string): Promise<T | undefined> {
  const text = await git(fx.box, fx.realmRemote, ['show', `main:${path}`]).catch(() => undefined);
  return text === undefined ? undefined : (parse(text) as T);
}

/** The end state every round must leave: clone clean, nothing stray, check passes, fsck clean. */
async function expectSound(fx: DomainRealm, label: string): Promise<void> {
  expect(await git(fx.box, fx.realm, ['status', '--porcelain']), label).toBe('');
  expect(await leftovers(fx), label).toEqual([]);
  const check = await blue(fx, ['realm', 'check'], fx.realm);
  expect(check.exitCode, `${label}: ${check.stdout}${check.stderr}`).toBe(0);
  await git(fx.box, fx.realm, ['fsck', '--no-progress', '--no-dangling']);
  await git(fx.box, fx.realmRemote, ['fsck', '--no-progress', '--no-dangling']);
  // The clone has nothing the remote lacks: every write was published.
  expect(await git(fx.box, fx.realm, ['rev-list', '--count', 'origin/main..main']), label).toBe('0');
}

/** Publishes `count` exports api-0… from d00 (one sync), so consumers have contracts to import. */
async function publishApis(fx: DomainRealm, count: number): Promise<void> {
  const provider = fx.repos[0]?.dir ?? '';
  for (let i = 0; i < count; i++) await exportContract(createContext({ cwd: provider, env: fx.env }), { name: `api-${i}`, value: JSON.stringify({ url: `https://api-${i}.example` }) });
  await git(fx.box, provider, ['add', '.blue']);
  await git(fx.box, provider, ['commit', '--quiet', '-m', 'declare apis']);
  await syncRealm(createContext({ cwd: provider, env: fx.env }), { notify: false });
}

describe('many writers sharing one realm clone', () => {
  verifies('concurrent-writers-no-lost-update', `${LONG_TESTS ? 6 : 2} rounds of 2 (long: 4) \`blue realm import\` at once in one repo: every import that said ✓ is on the remote`, async () => {
    const fx = await domainRealm({ count: 2 });
    const perRound = LONG_TESTS ? 4 : 2;
    await publishApis(fx, ROUNDS * perRound);
    const consumer = fx.repos[1]?.dir ?? '';
    let attempted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const contracts = Array.from({ length: perRound }, (_, k) => `api-${round * perRound + k}`);
      const runs = await Promise.all(contracts.map((c) => blue(fx, ['realm', 'import', '--contract', c, '--from', 'd00', '--binding', 'README.md', '--json'], consumer)));
      attempted += runs.length;
      for (const run of runs) expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      const remote = await remoteYaml<{ imports: Array<{ contract: string }> }>(fx, 'domains/d01/imports.yaml');
      const have = new Set(remote?.imports.map((i) => i.contract));
      for (const c of contracts) expect(have.has(c), `round ${round}: ${c} lost`).toBe(true);
      await expectSound(fx, `import round ${round}`);
    }
    expect(attempted).toBe(ROUNDS * perRound);
  }, 300_000);

  verifies('concurrent-writers-no-lost-update', `${LONG_TESTS ? 6 : 2} rounds of 4 \`blue realm export\` at once in one repo, then 3 parallel blue_realm_export calls to one blue-mcp: .blue/exports.yaml keeps them all`, async () => {
    const fx = await domainRealm({ count: 1 });
    const repo = fx.repos[0]?.dir ?? '';
    const declared = async (): Promise<string[]> => (parse(await readFile(join(repo, '.blue', 'exports.yaml'), 'utf8')) as { exports: Array<{ name: string }> }).exports.map((e) => e.name);
    for (let round = 0; round < ROUNDS; round++) {
      const names = [0, 1, 2, 3].map((k) => `r${round}-e${k}`);
      const runs = await Promise.all(names.map((name, k) => blue(fx, ['realm', 'export', '--name', name, '--value', JSON.stringify({ a: k })], repo)));
      for (const run of runs) expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(await declared()).toEqual(expect.arrayContaining(names));
    }
    const mcp = await spawnMcp(fx.box, { cwd: repo, env: fx.env });
    const names = ['mcp-a', 'mcp-b', 'mcp-c'];
    const results = await Promise.all(names.map((name, k) => mcp.client.callTool({ name: 'blue_realm_export', arguments: { name, value: JSON.stringify({ k }) } })));
    for (const r of results) expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(await declared()).toEqual(expect.arrayContaining(names));
    expect(await git(fx.box, repo, ['status', '--porcelain', '--', '.blue/exports.yaml'])).not.toBe('');
  }, 300_000);

  verifies('concurrent-writers-no-lost-update', `${LONG_TESTS ? 6 : 2} rounds of \`blue realm worktree\` from two domains at once: both tracking files land, the clone stays clean`, async () => {
    const fx = await domainRealm({ count: 3 });
    const [provider, consumer] = [fx.repos[0]?.dir ?? '', fx.repos[1]?.dir ?? ''];
    for (let round = 0; round < ROUNDS; round++) {
      const runs = await Promise.all([
        blue(fx, ['realm', 'worktree', '--rfc', `a${round}`, '--json'], provider),
        blue(fx, ['realm', 'worktree', '--rfc', `f${round}`, '--json'], consumer),
      ]);
      for (const run of runs) expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      for (const slug of [`feat-a${round}`, `feat-f${round}`]) {
        expect(await remoteYaml(fx, `worktrees/${slug}.yaml`), `round ${round}: ${slug} lost`).toBeDefined();
        expect(await readFile(join(fx.realm, 'worktrees', `${slug}.yaml`), 'utf8')).toContain(`name: feat/${slug.slice(5)}`);
      }
      await expectSound(fx, `worktree round ${round}`);
    }
  }, 300_000);

  for (const domains of LONG_TESTS ? [2, 10] : [2, 4]) {
    verifies('concurrent-writers-no-lost-update', `${ROUNDS} rounds of \`blue realm sync\` from ${domains} domains sharing one clone at once, one writer SIGKILLed at a random step: no success is lost, the rerun finishes the killed one`, async () => {
      const fx = await domainRealm({ count: domains });
      let attempted = 0;
      let killed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const repo of fx.repos) {
          await exportContract(createContext({ cwd: repo.dir, env: fx.env }), { name: 'service', value: JSON.stringify({ port: 8000 + round, host: `${repo.name}.internal` }) });
          await git(fx.box, repo.dir, ['add', '.blue']);
          await git(fx.box, repo.dir, ['commit', '--quiet', '-m', `service r${round}`]);
        }
        await growProviderExport(fx, `r${round}`);
        const victim = Math.floor(Math.random() * domains);
        const step = KILL_STEPS[Math.floor(Math.random() * KILL_STEPS.length)] as string;
        const runs = await Promise.all(fx.repos.map((repo, i) => blue(fx, ['realm', 'sync', '--json', '--no-notify'], repo.dir, i === victim ? { BLUE_TEST_KILL_AT: step } : {})));
        attempted += runs.length;
        for (const [i, run] of runs.entries()) {
          const name = fx.repos[i]?.name ?? '';
          if (i === victim) {
            expect(run.signal, `${name} should have been killed at ${step}`).toBe('SIGKILL');
            killed++;
            // What a user does next: run it again; it finishes the work.
            const rerun = await blue(fx, ['realm', 'sync', '--json', '--no-notify'], fx.repos[i]?.dir ?? '');
            expect(rerun.exitCode, rerun.stdout + rerun.stderr).toBe(0);
          } else {
            expect(run.exitCode, `${name} round ${round}: ${run.stdout}${run.stderr}`).toBe(0);
          }
        }
        for (const repo of fx.repos) {
          const remote = await remoteYaml<{ exports: Array<{ name: string; value: { port?: number } }> }>(fx, `domains/${repo.name}/exports.yaml`);
          expect(remote?.exports.find((e) => e.name === 'service')?.value.port, `${repo.name} round ${round} lost`).toBe(8000 + round);
        }
        await expectSound(fx, `sync round ${round} (killed ${fx.repos[victim]?.name} at ${step})`);
      }
      expect([attempted, killed]).toEqual([ROUNDS * domains, ROUNDS]);
    }, 600_000);
  }
});
