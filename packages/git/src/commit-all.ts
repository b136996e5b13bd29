import { join, resolve } from 'node:path';
import { BlueError } from '@blue/core';
import { gitDirsAt, headFromFiles, lstatIfExists, type GitDirs } from './paths.js';
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
 *
 * Three git processes when there is something to commit, one when there is not: `status` (the
 * conflicts, and what `add --all` will stage), `add`, `commit`; the in-progress markers and the
 * new commit's SHA are read from the worktree's git folder when it is where `.git` says.
 */
export async function commitAllIn(dir: string, message: string, options: CommitAllOptions = {}): Promise<CommitAllResult> {
  const gitOptions: GitOptions = options.env === undefined ? {} : { env: options.env };
  const dirs = await gitDirsAt(dir, gitOptions.env);
  await assertNothingInProgress(dir, dirs, gitOptions);
  const changes = await readChanges(dir, gitOptions);
  if (changes.conflicted.length > 0) {
    throw new BlueError('DIRTY_WORKTREE', `${dir} has unresolved conflicts in ${listFiles(changes.conflicted)}, so Blue will not commit there.`, {
      hint: `Resolve them and \`git -C ${dir} add\` the files, then run the command again.`,
    });
  }
  if (changes.files?.length === 0) return { committed: false, files: [] };
  await runGit(dir, ['add', '--all'], gitOptions);
  // Unsure from the status alone: ask git what is staged now.
  const files = changes.files ?? (await gitOutput(dir, ['diff', '--cached', '--name-only', '-z', '--no-renames'], gitOptions)).split('\0').filter(Boolean);
  if (files.length === 0) return { committed: false, files };
  const args = ['commit', '--quiet', '--file=-'];
  if (options.verify === false) args.push('--no-verify');
  await runGit(dir, args, { ...gitOptions, input: message });
  const sha = (dirs === undefined ? undefined : await headFromFiles(dirs)) ?? (await gitOutput(dir, ['rev-parse', 'HEAD'], gitOptions));
  return { committed: true, sha, files };
}

/** What `git add --all` will stage, from one `git status` before it. */
interface Changes {
  /** Paths with unresolved conflicts. */
  conflicted: string[];
  /**
   * The paths the commit will change, in git's order; undefined when the status cannot tell (a
   * file changed both in the index and after it may be back to what HEAD has, a submodule).
   */
  files: string[] | undefined;
}

async function readChanges(dir: string, options: GitOptions): Promise<Changes> {
  const out = await gitOutput(dir, ['status', '--porcelain=v2', '-z', '--untracked-files=all', '--no-renames'], options);
  const conflicted: string[] = [];
  const files: string[] = [];
  let certain = true;
  for (const entry of out.split('\0')) {
    const fields = entry.split(' ');
    const [kind, xy = '..', sub = 'N...'] = fields;
    if (kind === 'u') conflicted.push(fields.slice(10).join(' '));
    // An untracked file, or a nested repository (`sub/`, which `add` stages as `sub`).
    else if (kind === '?') files.push(entry.slice(2).replace(/\/$/, ''));
    else if (kind === '1' && !sub.startsWith('S') && (xy[0] === '.') !== (xy[1] === '.')) files.push(fields.slice(8).join(' '));
    else if (kind !== undefined && kind !== '') certain = false;
  }
  return { conflicted, files: certain ? files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))) : undefined };
}

async function assertNothingInProgress(dir: string, dirs: GitDirs | undefined, options: GitOptions): Promise<void> {
  const paths = dirs === undefined
    ? (await gitOutput(dir, ['rev-parse', ...IN_PROGRESS.flatMap(([name]) => ['--git-path', name])], options)).split('\n').map((path) => resolve(dir, path))
    : IN_PROGRESS.map(([name]) => join(dirs.gitDir, name));
  const found = await Promise.all(paths.map(async (path) => (await lstatIfExists(path)) !== undefined));
  const operation = IN_PROGRESS.find((_, i) => found[i] === true)?.[1];
  if (operation !== undefined) {
    throw new BlueError('DIRTY_WORKTREE', `${dir} is in the middle of ${operation}, so Blue will not commit there.`, {
      hint: `Finish it (\`git -C ${dir} status\` says how) or abort it, then run the command again.`,
    });
  }
}
