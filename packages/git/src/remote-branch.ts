import { assertBranchName } from '@blue/core';
import { gitOutput, type GitOptions } from './run.js';
import { resolveCommit } from './sync-steps.js';
import { defaultBranch } from './worktree-list.js';

export interface ReviewBranchState {
  /** The commit `branch` points at on the remote, undefined when the remote has no such branch. */
  remote: string | undefined;
  /** The commit of the local `branch`, undefined when there is none. */
  local: string | undefined;
  /** The repository's default branch (see defaultBranch). */
  base: string;
  /** Commits on the local `branch` that the default branch lacks (0 without a local branch). */
  ahead: number;
}

/**
 * What a pull request for `branch` would show: where the branch stands on `remote` (default
 * origin; the remote itself is asked with `git ls-remote`, so a push made outside Blue counts) and
 * locally, and how many commits it has beyond the default branch (as last fetched). An
 * unreachable remote is GIT_FAILED with git's reason.
 */
export async function reviewBranchState(dir: string, branch: string, options: GitOptions & { remote?: string } = {}): Promise<ReviewBranchState> {
  assertBranchName(branch);
  const gitOptions: GitOptions = options.env === undefined ? {} : { env: options.env };
  const remoteName = options.remote ?? 'origin';
  const listed = await gitOutput(dir, ['ls-remote', '--heads', remoteName, `refs/heads/${branch}`], gitOptions);
  const remote = listed.split('\n').find((l) => l.endsWith(`\trefs/heads/${branch}`))?.split('\t')[0];
  const local = await resolveCommit(dir, `refs/heads/${branch}`, gitOptions);
  const base = await defaultBranch(dir, gitOptions);
  const baseRef = (await resolveCommit(dir, `refs/remotes/${remoteName}/${base}`, gitOptions)) ?? (await resolveCommit(dir, `refs/heads/${base}`, gitOptions));
  const ahead = local === undefined ? 0 : Number(await gitOutput(dir, ['rev-list', '--count', baseRef === undefined ? local : `${baseRef}..${local}`], gitOptions));
  return { remote, local, base, ahead };
}
