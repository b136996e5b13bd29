import { lstatIfExists } from './paths.js';
import { runGit, type GitOptions } from './run.js';

/**
 * Removes the worktree at `path` from `repo` (nothing when it is not there). Refuses, with git's
 * reason, one with uncommitted changes unless `force`.
 */
export async function removeWorktree(repo: string, path: string, options: GitOptions & { force?: boolean } = {}): Promise<{ removed: boolean }> {
  const { force, ...gitOptions } = options;
  if ((await lstatIfExists(path)) === undefined) {
    await runGit(repo, ['worktree', 'prune'], gitOptions);
    return { removed: false };
  }
  await runGit(repo, ['worktree', 'remove', ...(force === true ? ['--force'] : []), '--', path], gitOptions);
  return { removed: true };
}

/** Deletes the local `branch` when it points at `expected` (so nothing unmerged is lost); false otherwise. */
export async function deleteLocalBranchAt(repo: string, branch: string, expected: string, options: GitOptions = {}): Promise<boolean> {
  const tip = await runGit(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { ...options, okExitCodes: [1] });
  if (tip.exitCode !== 0 || tip.stdout.trim() !== expected) return false;
  await runGit(repo, ['branch', '--quiet', '-D', '--', branch], options);
  return true;
}
