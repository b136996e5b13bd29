import { excludeWorktreesDir, prepareWorktree, runGitMany, type AddedWorktree } from '@blue/git';
import type { BlueContext } from '../context.js';
import { defaultPoolSize, runLimited } from '../run-limited.js';
import { outcomeOf, reportOutcome, worktreePath, type RepoOutcome } from './unified.js';

/** What happened to one repo's worktree. */
export type WorktreeOutcome = RepoOutcome & { created?: boolean };

/** A repo whose worktree is prepared and waits for its `git worktree add`. */
interface ToAdd {
  domain: string;
  repo: string;
  worktree: AddedWorktree;
  add: string[];
}

/**
 * The worktree of `branch` in each domain's repo (`.worktrees/` excluded from git there), in
 * `domains`' order. Each repo is checked and prepared in the bounded pool (prepareWorktree:
 * mostly files read, no git process); the `git worktree add` commands left are started by one
 * shell (runGitMany), so fifty of them do not each cost this process a spawn. The first pool's
 * worth starts as soon as it is prepared, while this thread prepares the others (git then uses
 * the other cores), and the rest start together once all are prepared: at most two pools' worth
 * of git at once, for the moment the early ones finish. A repo's failure is its own `failed`
 * outcome; `worktree:repo-added` is marked as each repo has its worktree, whether made now or
 * already there.
 */
export async function addWorktrees(ctx: BlueContext, domains: readonly string[], branch: string, repoOf: (domain: string) => Promise<string>, adopt: (domain: string) => boolean): Promise<WorktreeOutcome[]> {
  const outcomes = new Map<string, WorktreeOutcome>();
  const lanes = defaultPoolSize();
  const adding: Array<Promise<void>> = [];
  let waiting: ToAdd[] = [];
  let launched = 0;
  const done = (outcome: WorktreeOutcome): void => {
    outcomes.set(outcome.domain, outcome);
    reportOutcome(ctx, outcome);
  };
  // The repos prepared so far, their `git worktree add` started by one shell (runGitMany).
  const launch = (): void => {
    const adds = waiting;
    waiting = [];
    launched += 1;
    const runs = runGitMany(adds.map((a) => ({ cwd: a.repo, args: a.add })), { ...ctx.git.options, parallel: lanes });
    adding.push(...adds.map(async (a, i) => {
      done(await outcomeOf(a.domain, async () => {
        await runs[i];
        ctx.checkpoint('worktree:repo-added');
        return addedOutcome(a.domain, a.worktree);
      }));
    }));
  };
  await runLimited(
    domains.map((domain) => async () => {
      ctx.progress.report({ target: domain, status: 'started' });
      const outcome = await outcomeOf(domain, async () => {
        const repo = await repoOf(domain);
        await excludeWorktreesDir(repo, undefined, ctx.git.options);
        const { worktree, add } = await prepareWorktree(repo, { path: worktreePath(repo, branch), branch, adoptBranch: adopt(domain) }, ctx.git.options);
        if (add !== undefined) {
          waiting.push({ domain, repo, worktree, add });
          // The first lanes' worth start while the other repos are being prepared.
          if (launched === 0 && waiting.length >= lanes) launch();
          return undefined;
        }
        ctx.checkpoint('worktree:repo-added');
        return addedOutcome(domain, worktree);
      });
      if (outcome !== undefined) done(outcome);
    }),
    lanes,
  );
  if (waiting.length > 0) launch();
  await Promise.all(adding);
  return domains.map((d) => outcomes.get(d) as WorktreeOutcome);
}

function addedOutcome(domain: string, worktree: AddedWorktree): WorktreeOutcome {
  return { domain, status: 'ok', path: worktree.path, created: worktree.created, message: worktree.created ? `worktree created on ${worktree.branch}` : 'worktree already there' };
}
