import { resolve } from 'node:path';
import { BlueError } from '@blue/core';
import { lstatIfExists } from './paths.js';
import { gitOutput, runGit, type GitOptions } from './run.js';
import { listFiles } from './sync-steps.js';

export interface CommitAllOptions extends GitOptions {
  /** Run the repository's commit hooks (pre-commit, commit-msg), as `git commit` does. Default true. */
  verify?: boolean;
}

export interface CommitAllResult {
  committed: boolean;
  /** Full SHA of the new commit, when there was one. */
  sha?: string;
  /** The paths the commit changed (empty when nothing was committed). */
  files: string[];
}

/** Operations that leave a worktree half-way, by the file git keeps while they run. */
const IN_PROGRESS: ReadonlyArray<[string, string]> = [
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase (or `git am`)'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
];

/**
 * Stages every change in the worktree at `dir` (`git add --all`) and commits it with `message`,
 * as the user's `git commit` would (their hooks and signing settings apply). Nothing to commit:
 * `{ committed: false }`. Refused with DIRTY_WORKTREE, before staging anything, while a merge,
 * rebase, cherry-pick or revert is in progress or files have unresolved conflicts. A hook that
 * refuses the commit is GIT_FAILED with its output; the changes stay staged.
 */
export async function commitAllIn(dir: string, message: string, options: CommitAllOptions = {}): Promise<CommitAllResult> {
  const gitOptions: GitOptions = options.env === undefined ? {} : { env: options.env };
  await assertNothingInProgress(dir, gitOptions);
  await runGit(dir, ['add', '--all'], gitOptions);
  const files = (await gitOutput(dir, ['diff', '--cached', '--name-only', '-z', '--no-renames'], gitOptions)).split('\0').filter(Boolean);
  if (files.length === 0) return { committed: false, files };
  const args = ['commit', '--quiet', '--file=-'];
  if (options.verify === false) args.push('--no-verify');
  await runGit(dir, args, { ...gitOptions, input: message });
  return { committed: true, sha: await gitOutput(dir, ['rev-parse', 'HEAD'], gitOptions), files };
}

async function assertNothingInProgress(dir: string, options: GitOptions): Promise<void> {
  const paths = (await gitOutput(dir, ['rev-parse', ...IN_PROGRESS.flatMap(([name]) => ['--git-path', name])], options)).split('\n');
  const found = await Promise.all(paths.map(async (path) => (await lstatIfExists(resolve(dir, path))) !== undefined));
  const operation = IN_PROGRESS.find((_, i) => found[i] === true)?.[1];
  if (operation !== undefined) {
    throw new BlueError('DIRTY_WORKTREE', `${dir} is in the middle of ${operation}, so Blue will not commit there.`, {
      hint: `Finish it (\`git -C ${dir} status\` says how) or abort it, then run the command again.`,
    });
  }
  const conflicted = (await gitOutput(dir, ['diff', '--name-only', '-z', '--diff-filter=U'], options)).split('\0').filter(Boolean);
  if (conflicted.length > 0) {
    throw new BlueError('DIRTY_WORKTREE', `${dir} has unresolved conflicts in ${listFiles(conflicted)}, so Blue will not commit there.`, {
      hint: `Resolve them and \`git -C ${dir} add\` the files, then run the command again.`,
    });
  }
}
