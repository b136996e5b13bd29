import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_TESTS, runBlue, type BlueRun } from '@blue/testkit';
import { CHECKPOINTS, KILL_AT_ENV, type Checkpoint } from '@blue/realm';
import { endState, leftovers, orphansGone } from './end-state.js';
import { commitMembership, domainRealm, growProviderExport, ORG, type DomainRealm } from './realm-fixture.js';

const RFC = 'kill-test';
/** Repos in the story: 10 with BLUE_LONG_TESTS=1, 4 by default (the kills mid-way come after half of them). */
const REPOS = LONG_TESTS ? 10 : 4;
const HALF = REPOS / 2 - 1;
const LAST = REPOS - 1;
const NAME = `d${String(LAST).padStart(2, '0')}`;
const SLUG = `feat-${RFC}`;

/** One command of the story, run in the same folder of both fixtures. */
interface Step {
  args: string[];
  /** Repo index the command runs in (a worktree of it when `inWorktree`). */
  repo: number;
  inWorktree?: boolean;
  /** The kills tried, in order, each followed by nothing else: the next run is the next kill, or the plain rerun. */
  kills: string[];
  /** Done to both fixtures before the command. */
  before?: (fx: DomainRealm) => Promise<void>;
}

const worktreeOf = (fx: DomainRealm, i: number): string => join(fx.repos[i]?.dir ?? '', '.worktrees', SLUG);

/**
 * The story of a change across REPOS repos with a GitHub stand-in: the last domain joins, the
 * provider publishes (notifying its consumers), then a unified worktree, a coordinated commit,
 * push and linked PRs. Each command is SIGKILLed at each listed checkpoint in turn, then run
 * again; the control fixture runs it once, uninterrupted.
 */
const STORY: Step[] = [
  { args: ['realm', 'join', '../realm', '--as', NAME, '--github', `${ORG}/${NAME}`], repo: LAST, kills: ['realm:files-written', 'join:realm-committed'] },
  {
    args: ['realm', 'sync'],
    repo: 0,
    kills: ['realm:files-written', 'realm:committed', 'realm:pushed', `sync:notified#${HALF}`],
    before: async (fx) => {
      // As join's next step says: the new member commits and pushes .blue/, so its default branch
      // shows it belongs to the realm and GitHub notices may go there.
      await commitMembership(fx.box, fx.repos[LAST]?.dir ?? '');
      await growProviderExport(fx, 'reports');
    },
  },
  { args: ['realm', 'worktree', '--rfc', RFC], repo: 0, kills: [`worktree:repo-added#${HALF}`, 'realm:files-written', 'realm:committed', 'realm:pushed'] },
  {
    args: ['realm', 'commit', '-m', 'feat: kill test change'],
    repo: 0,
    inWorktree: true,
    kills: [`commit:repo-committed#${HALF}`, 'realm:committed'],
    before: async (fx) => {
      for (let i = 0; i < fx.repos.length; i++) await appendFile(join(worktreeOf(fx, i), 'README.md'), `\nChange ${i} of ${RFC}.\n`);
    },
  },
  { args: ['realm', 'push'], repo: 0, inWorktree: true, kills: [`push:repo-pushed#${HALF}`, 'realm:pushed'] },
  { args: ['realm', 'pr'], repo: 0, inWorktree: true, kills: ['pr:opened', `pr:opened#${HALF + 1}`, 'realm:committed'] },
];

async function run(fx: DomainRealm, step: Step, killAt?: string): Promise<BlueRun> {
  const cwd = step.inWorktree ? worktreeOf(fx, step.repo) : (fx.repos[step.repo]?.dir ?? '');
  return runBlue(fx.box, step.args, { cwd, env: { ...fx.env, [KILL_AT_ENV]: killAt }, timeoutMs: 60_000 });
}

describe('blue killed at each checkpoint', () => {
  it('an unknown step (or a bad count) in BLUE_TEST_KILL_AT is refused: VALUE_INVALID, exit 3, the steps listed', async () => {
    const fx = await domainRealm({ count: 1 });
    for (const spec of ['join:realm-comitted', 'realm:committed#0', 'realm:committed#x', 'realm']) {
      const refused = await runBlue(fx.box, ['status', '--json'], { cwd: fx.repos[0]?.dir ?? '', env: { [KILL_AT_ENV]: spec } });
      expect(refused.exitCode, spec).toBe(3);
      expect(refused.json()).toMatchObject({ error: { code: 'VALUE_INVALID', message: expect.stringContaining(spec) } });
      expect(refused.stdout).toContain('join:realm-committed, realm:files-written');
    }
    const fine = await runBlue(fx.box, ['status'], { cwd: fx.repos[0]?.dir ?? '', env: { [KILL_AT_ENV]: 'pr:opened#2' } });
    expect(fine.exitCode, fine.stderr).toBe(0);
  });

  it(`at every step of join, sync, worktree, commit, push and pr over ${REPOS} repos: the rerun converges to the uninterrupted end state, nothing duplicated, stray or corrupt`, async () => {
    const [killed, control] = await Promise.all([domainRealm({ count: REPOS, joined: REPOS - 1, github: true }), domainRealm({ count: REPOS, joined: REPOS - 1, github: true })]);
    const reached = new Set<string>();
    for (const step of STORY) {
      await step.before?.(killed);
      await step.before?.(control);
      for (const kill of step.kills) {
        const died = await run(killed, step, kill);
        expect(died.signal, `${step.args.join(' ')} with ${kill}: exit ${died.exitCode}\n${died.stdout}${died.stderr}`).toBe('SIGKILL');
        reached.add(kill.replace(/#\d+$/, ''));
        await orphansGone(killed.root);
      }
      const rerun = await run(killed, step);
      expect(rerun.exitCode, `${step.args.join(' ')} after the kills: ${rerun.stdout}${rerun.stderr}`).toBe(0);
      const once = await run(control, step);
      expect(once.exitCode, `${step.args.join(' ')} (control): ${once.stderr}`).toBe(0);
      expect(await endState(killed), `after ${step.args.join(' ')}`).toEqual(await endState(control));
      expect(await leftovers(killed)).toEqual([]);
      const check = await runBlue(killed.box, ['realm', 'check'], { cwd: killed.repos[0]?.dir ?? '' });
      expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    }
    // The story ends with one issue per consumer and one PR per repo, as the control has.
    expect(killed.standIn?.state.issues()).toHaveLength(REPOS - 1);
    expect(killed.standIn?.state.pulls()).toHaveLength(REPOS);
    expect([...reached].sort()).toEqual((Object.keys(CHECKPOINTS) as Checkpoint[]).sort());
  }, 600_000);
});
