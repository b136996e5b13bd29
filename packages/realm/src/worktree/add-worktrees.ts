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
 * `domains`' order. First every repo is checked and prepared in the bounded pool (prepareWorktree:
 * mostly files read, no git process); then the `git worktree add` commands left are started
 * together by one shell (runGitMany), so fifty of them do not each cost this process a spawn.
 * A repo's failure is its own `failed` outcome; `worktree:repo-added` is marked as each repo
 * has its worktree, whether made now or already there.
 */
export async function addWorktrees(ctx: BlueContext, domains: readonly string[], branch: string, repoOf: (domain: string) => Promise<string>, adopt: (domain: string) => boolean): Promise<WorktreeOutcome[]> {
  const outcomes = new Map<string, WorktreeOutcome>();
  const waiting = new Map<string, ToAdd>();
  const done = (outcome: WorktreeOutcome): void => {
    outcomes.set(outcome.domain, outcome);
    reportOutcome(ctx, outcome);
  };
  await runLimited(
    domains.map((domain) => async () => {
      ctx.progress.report({ target: domain, status: 'started' });
      const outcome = await outcomeOf(domain, async () => {
        const repo = await repoOf(domain);
        await excludeWorktreesDir(repo, undefined, ctx.git.options);
        const { worktree, add } = await prepareWorktree(repo, { path: worktreePath(repo, branch), branch, adoptBranch: adopt(domain) }, ctx.git.options);
        if (add !== undefined) {
          waiting.set(domain, { domain, repo, worktree, add });
          return undefined;
        }
        ctx.checkpoint('worktree:repo-added');
        return addedOutcome(domain, worktree);
      });
      if (outcome !== undefined) done(outcome);
    }),
    defaultPoolSize(),
  );
  const adds = domains.flatMap((d) => waiting.get(d) ?? []);
  const runs = runGitMany(adds.map((a) => ({ cwd: a.repo, args: a.add })), { ...ctx.git.options, parallel: defaultPoolSize() });
  await Promise.all(adds.map(async (a, i) => {
    done(await outcomeOf(a.domain, async () => {
      await runs[i];
      ctx.checkpoint('worktree:repo-added');
      return addedOutcome(a.domain, a.worktree);
    }));
  }));
  return domains.map((d) => outcomes.get(d) as WorktreeOutcome);
}

function addedOutcome(domain: string, worktree: AddedWorktree): WorktreeOutcome {
  return { domain, status: 'ok', path: worktree.path, created: worktree.created, message: worktree.created ? `worktree created on ${worktree.branch}` : 'worktree already there' };
}
