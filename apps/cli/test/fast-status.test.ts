import { createHash } from 'node:crypto';
// `blue status`, `blue realm sync` and `blue realm worktree` have a fast path (bin/run.js → dist/fast/bundle/run.js, no oclif). It must be
// indistinguishable from the oclif command: same stdout, stderr and exit code for every case,
// and it must really be taken (else these comparisons would compare oclif with itself).
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, letemcookScenario, runBlue, sandbox, type Sandbox } from '@blue/testkit';
import { bundleIsCurrent } from '../src/fast/bundle-current.js';
import { fastRoute, fastStatusArgs, fastSyncArgs, fastWorktreeArgs } from '../src/fast/route.js';

describe('fastStatusArgs', () => {
  it('takes `status` with --json, --strict, --offline and --cwd once each, and nothing else', () => {
    expect(fastStatusArgs(['status'], {})).toEqual({ json: false, strict: false, offline: false });
    expect(fastStatusArgs(['status', '--offline'], {})).toEqual({ json: false, strict: false, offline: true });
    expect(fastStatusArgs(['status', '--strict', '--json', '--cwd', 'x'], {})).toEqual({ json: true, strict: true, offline: false, cwd: 'x' });
    expect(fastStatusArgs(['status', '--cwd=../a b'], {})).toEqual({ json: false, strict: false, offline: false, cwd: '../a b' });
    for (const argv of [[], ['--help'], ['status', '--help'], ['status', '-h'], ['status', '--json', '--json'], ['status', '--cwd'], ['status', '--cwd', '--json'],
      ['status', '--cwd='], ['status', '--cwd', 'a', '--cwd', 'b'], ['status', 'extra'], ['status', '--jsonx'], ['realm', 'status'], ['stat']]) {
      expect(fastStatusArgs(argv, {}), argv.join(' ')).toBeUndefined();
    }
    expect(fastStatusArgs(['status'], { BLUE_NO_FAST_PATH: '1' })).toBeUndefined();
  });
});

describe('fastSyncArgs', () => {
  it('takes `realm sync` with --json, --dry-run, --allow-dirty, --[no-]notify, --[no-]fail-on-notify-error and --cwd once each', () => {
    expect(fastSyncArgs(['realm', 'sync'], {})).toEqual({ json: false, dryRun: false, allowDirty: false });
    expect(fastSyncArgs(['realm', 'sync', '--json', '--no-notify', '--dry-run', '--allow-dirty', '--fail-on-notify-error', '--cwd=x'], {}))
      .toEqual({ json: true, dryRun: true, allowDirty: true, notify: false, failOnNotify: true, cwd: 'x' });
    expect(fastSyncArgs(['realm', 'sync', '--notify', '--no-fail-on-notify-error'], {})).toEqual({ json: false, dryRun: false, allowDirty: false, notify: true, failOnNotify: false });
    for (const argv of [['realm'], ['realm', 'sync', '--help'], ['realm', 'sync', '--notify', '--no-notify'], ['realm', 'sync', '--no-json'], ['realm', 'sync', '--dry-run', '--dry-run'],
      ['realm', 'sync', '--no-dry-run'], ['realm', 'sync', 'x'], ['realm', 'check'], ['sync'], ['realm', 'sync', '--strict']]) {
      expect(fastSyncArgs(argv, {}), argv.join(' ')).toBeUndefined();
    }
    expect(fastSyncArgs(['realm', 'sync'], { BLUE_NO_FAST_PATH: '1' })).toBeUndefined();
    expect(fastRoute(['realm', 'sync', '--json'], {})).toEqual({ command: 'sync', args: { json: true, dryRun: false, allowDirty: false } });
    expect(fastRoute(['status', '--json'], {})).toEqual({ command: 'status', args: { json: true, strict: false, offline: false } });
    expect(fastRoute(['realm', 'status'], {})).toBeUndefined();
  });
});

describe('fastWorktreeArgs', () => {
  it('takes `realm worktree` with exactly one of --rfc and --join, --branch (not with --join), --domains, --json and --cwd once each', () => {
    expect(fastWorktreeArgs(['realm', 'worktree', '--rfc', 'r'], {})).toEqual({ json: false, rfc: 'r' });
    expect(fastWorktreeArgs(['realm', 'worktree', '--rfc=r', '--branch', 'feat/x', '--domains=a,b', '--json', '--cwd', 'x'], {})).toEqual({ json: true, rfc: 'r', branch: 'feat/x', domains: 'a,b', cwd: 'x' });
    expect(fastWorktreeArgs(['realm', 'worktree', '--join', 'feat/x', '--domains', 'a'], {})).toEqual({ json: false, join: 'feat/x', domains: 'a' });
    for (const argv of [['realm', 'worktree'], ['realm', 'worktree', '--rfc', 'r', '--join', 'j'], ['realm', 'worktree', '--join', 'j', '--branch', 'b'], ['realm', 'worktree', '--rfc'],
      ['realm', 'worktree', '--rfc', '--json'], ['realm', 'worktree', '--rfc='], ['realm', 'worktree', '--rfc', 'a', '--rfc', 'b'], ['realm', 'worktree', '--branch', 'b'],
      ['realm', 'worktree', '--rfc', 'r', '--help'], ['realm', 'worktree', '--rfc', 'r', 'extra'], ['realm', 'worktree', '--rfc', 'r', '--json=1'], ['realm', 'worktree', '--rfc', '-r']]) {
      expect(fastWorktreeArgs(argv, {}), argv.join(' ')).toBeUndefined();
    }
    expect(fastWorktreeArgs(['realm', 'worktree', '--rfc', 'r'], { BLUE_NO_FAST_PATH: '1' })).toBeUndefined();
    expect(fastRoute(['realm', 'worktree', '--rfc', 'r'], {})).toEqual({ command: 'worktree', args: { json: false, rfc: 'r' } });
  });
});

describe('bundleIsCurrent', () => {
  it('in a checkout, only while every input is older than the bundle or has the content it was built from (a build cache restores files with fresh times); a packed package always', async () => {
    const box = await sandbox();
    const root = join(box.root, 'cli');
    const bundleDir = join(root, 'dist', 'fast', 'bundle');
    await mkdir(bundleDir, { recursive: true });
    await mkdir(join(root, 'src'));
    await writeFile(join(box.root, 'input.js'), 'x');
    await writeFile(join(bundleDir, 'run.js'), 'bundle');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    await writeFile(join(bundleDir, 'inputs.json'), JSON.stringify({ files: { '../../../../input.js': sha('x') } }));
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
    await utimes(join(box.root, 'input.js'), at(1), at(1));
    await utimes(join(bundleDir, 'run.js'), at(2), at(2));
    expect(bundleIsCurrent(root, bundleDir)).toBe(true);
    // Newer, same content (restored by a build cache): still current.
    await utimes(join(box.root, 'input.js'), at(3), at(3));
    expect(bundleIsCurrent(root, bundleDir)).toBe(true);
    // Newer and changed: stale.
    await writeFile(join(box.root, 'input.js'), 'y');
    await utimes(join(box.root, 'input.js'), at(3), at(3));
    expect(bundleIsCurrent(root, bundleDir)).toBe(false);
    // Older but changed is taken as is: only times newer than the bundle are looked into.
    await utimes(join(box.root, 'input.js'), at(1), at(1));
    expect(bundleIsCurrent(root, bundleDir)).toBe(true);
    // The format before hashes: stale, until the next build.
    await writeFile(join(bundleDir, 'inputs.json'), JSON.stringify(['../../../../input.js']));
    expect(bundleIsCurrent(root, bundleDir)).toBe(false);
    await writeFile(join(bundleDir, 'inputs.json'), '{broken');
    expect(bundleIsCurrent(root, bundleDir)).toBe(false);
    const packed = join(box.root, 'packed');
    await mkdir(packed);
    expect(bundleIsCurrent(packed, bundleDir)).toBe(true);
  });
});

/** Runs blue twice, through the fast path and through oclif (at once, or one after the other), and says which one loaded oclif. */
async function bothWays(box: Sandbox, args: string[], cwd: string, sequential = false) {
  const probe = join(box.root, 'probe.cjs');
  await writeFile(probe, "process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, String(Object.keys(require.cache).some((k) => k.includes('@oclif')))));\n");
  const run = async (extra: Record<string, string>) => {
    const out = join(box.root, `probe-${Math.random().toString(16).slice(2)}`);
    const result = await runBlue(box, args, { cwd, env: { NODE_OPTIONS: `--require ${probe}`, PROBE_OUT: out, ...extra } });
    // Node's warnings (oclif warns under NODE_ENV=test) name the process id.
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr.replace(/^\(node:\d+\)/gm, '(node)'), oclif: await readFile(out, 'utf8') };
  };
  const [fast, oclif] = sequential ? [await run({}), await run({ BLUE_NO_FAST_PATH: '1' })] : await Promise.all([run({}), run({ BLUE_NO_FAST_PATH: '1' })]);
  expect(oclif.oclif).toBe('true');
  return { fast, oclif };
}

interface Case {
  args: string[];
  cwd: string;
  exitCode: number;
  /** Whether the fast path takes it (else oclif does, both times). */
  fast: boolean;
}

/** Both ways agree on stdout, stderr and exit code, and the fast path is (or is not) taken; returns the fast path's run. */
async function agree(box: Sandbox, c: Case, sequential = false) {
  const { fast, oclif } = await bothWays(box, c.args, c.cwd, sequential);
  const label = `${c.args.join(' ')} in ${c.cwd}`;
  expect(fast.oclif, label).toBe(String(!c.fast));
  expect(fast.exitCode, label).toBe(c.exitCode);
  expect({ ...fast, oclif: undefined }, label).toEqual({ ...oclif, oclif: undefined });
  return fast;
}

/** The letemcook scenario with fungal's stack edited (uncommitted): its import is stale. */
async function staleScenario() {
  const box = await sandbox();
  const s = await letemcookScenario(box);
  const stack = join(s.fungal.dir, 'cdk/training_tools_access_stack.py');
  await writeFile(stack, (await readFile(stack, 'utf8')).replaceAll('training-runs/*', 'training-runs-old/*'));
  return { box, s };
}

describe('blue status: fast path and oclif command agree', () => {
  it('in sync, stale with --strict, with --cwd, and outside a realm (human and --json)', async () => {
    const { box, s } = await staleScenario();
    const cases: Case[] = [
      { args: ['status'], cwd: s.aperture.dir, exitCode: 0, fast: true },
      { args: ['status', '--json'], cwd: s.aperture.dir, exitCode: 0, fast: true },
      { args: ['status', '--strict'], cwd: s.fungal.dir, exitCode: 1, fast: true },
      { args: ['status', '--json', '--strict'], cwd: s.fungal.dir, exitCode: 1, fast: true },
      { args: ['status', '--cwd', s.fungal.dir, '--json'], cwd: box.root, exitCode: 0, fast: true },
      { args: ['status', '--json'], cwd: box.root, exitCode: 4, fast: true },
      { args: ['status'], cwd: box.root, exitCode: 4, fast: true },
      { args: ['status', '--cwd', join(box.root, 'nowhere')], cwd: box.root, exitCode: 3, fast: true },
      { args: ['status', '--bogus'], cwd: s.aperture.dir, exitCode: 2, fast: false },
    ];
    for (const c of cases) await agree(box, c);
  }, 60_000);
});

describe('blue realm sync: fast path and oclif command agree', () => {
  it('dry run, refusal of uncommitted inputs, nothing to publish, outside a realm (human and --json); a publish takes the fast path', async () => {
    const { box, s } = await staleScenario();
    // One after the other: a sync writes.
    const compare = (args: string[], cwd: string, exitCode: number, fast = true) => agree(box, { args, cwd, exitCode, fast }, true);
    await compare(['realm', 'sync', '--dry-run'], s.aperture.dir, 0);
    await compare(['realm', 'sync', '--json', '--dry-run', '--no-notify'], s.aperture.dir, 0);
    expect((await compare(['realm', 'sync', '--json'], s.fungal.dir, 4)).stdout).toContain('DIRTY_WORKTREE');
    await compare(['realm', 'sync', '--json'], box.root, 4);
    await compare(['realm', 'sync', '--bogus'], s.aperture.dir, 2, false);
    // A real realm commit (fungal records its imports) by the fast path; oclif's run after it has nothing left to write.
    await git(box, s.fungal.dir, ['commit', '-qam', 'Move the training runs']);
    const published = await bothWays(box, ['realm', 'sync', '--json', '--no-notify'], s.fungal.dir, true);
    expect(published.fast.oclif).toBe('false');
    expect(published.fast.exitCode, published.fast.stderr).toBe(0);
    const commit = (run: { stdout: string }) => (JSON.parse(run.stdout) as { commit?: string }).commit;
    expect(commit(published.fast)).toMatch(/^[0-9a-f]{40}$/);
    expect(commit(published.oclif)).toBeUndefined();
    await compare(['realm', 'sync', '--no-notify'], s.fungal.dir, 0);
    await compare(['realm', 'sync', '--json', '--no-notify', '--no-fail-on-notify-error'], s.fungal.dir, 0);
  }, 90_000);
});

describe('blue realm worktree: fast path and oclif command agree', () => {
  it('a new change (human and --json), the same again, a repo in the way, a join of no change, outside a realm, a usage error', async () => {
    const { box, s } = await staleScenario();
    const compare = (args: string[], cwd: string, exitCode: number, fast = true) => agree(box, { args, cwd, exitCode, fast }, true);
    // A new change each way: the same output but for its name and the realm commit.
    const same = (text: string) => text.replaceAll(/wt-(?:fast|oclif)/g, 'wt-NAME').replaceAll(/\b[0-9a-f]{7}(?:[0-9a-f]{33})?\b/g, 'SHA').replaceAll(/"(?:created_at|updated_at|at)": "[^"]+"/g, '"at": "T"');
    for (const json of [[], ['--json']]) {
      const suffix = json.length > 0 ? '-json' : '';
      const fast = await runBlue(box, ['realm', 'worktree', '--rfc', `wt-fast${suffix}`, ...json], { cwd: s.aperture.dir });
      const oclif = await runBlue(box, ['realm', 'worktree', '--rfc', `wt-oclif${suffix}`, ...json], { cwd: s.aperture.dir, env: { BLUE_NO_FAST_PATH: '1' } });
      expect(fast.exitCode, fast.stderr).toBe(0);
      const shown = (r: typeof fast) => ({ exitCode: r.exitCode, stdout: same(r.stdout), stderr: same(r.stderr).replace(/^\(node:\d+\)/gm, '(node)') });
      expect(shown(fast)).toEqual(shown(oclif));
      expect(fast.stdout).toContain(json.length > 0 ? '"created": true' : 'worktree created on feat/wt-fast');
    }
    await compare(['realm', 'worktree', '--rfc', 'wt-fast', '--json', '--domains', 'aperture'], s.aperture.dir, 0);
    // fungal's worktree folder is taken by a file: that repo fails (exit 4), aperture's is kept.
    await mkdir(join(s.fungal.dir, '.worktrees'), { recursive: true });
    await writeFile(join(s.fungal.dir, '.worktrees', 'feat-wt-blocked'), 'mine');
    await runBlue(box, ['realm', 'worktree', '--rfc', 'wt-blocked'], { cwd: s.aperture.dir });
    expect((await compare(['realm', 'worktree', '--rfc', 'wt-blocked', '--json'], s.aperture.dir, 4)).stdout).toContain('DIRTY_WORKTREE');
    await compare(['realm', 'worktree', '--join', 'feat/nothing', '--json'], s.fungal.dir, 3);
    await compare(['realm', 'worktree', '--rfc', 'x', '--json'], box.root, 4);
    await compare(['realm', 'worktree', '--rfc', 'x', '--join', 'feat/x'], s.aperture.dir, 2, false);
  }, 120_000);
});
