import { readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { assertBranchName, BlueError, hasErrno, REPO_WORKTREES_DIR, writeFileAtomic } from '@blue/core';
import { gitDirsAt, lstatIfExists, readIfExists, type GitDirs } from './paths.js';
import { repoRoot } from './repo.js';
import { gitOutput, runGit, type GitOptions } from './run.js';
import { isAncestor, resolveCommit } from './sync-steps.js';
import { worktreesFromFiles, type WorktreeFocus } from './worktree-files.js';
import { defaultBranchFrom, listWorktrees, readBranchRefs, readBranchRefsFromFiles, type BranchRefs, type WorktreeEntry } from './worktree-list.js';

export interface AddWorktreeInput {
  /** Where the worktree goes: absolute, or relative to the repository's top folder. */
  path: string;
  /** The branch to check out there, created when it does not exist. */
  branch: string;
  /**
   * What a new branch starts from (branch, tag or commit). Default: the repository's default
   * branch (see defaultBranch), the local one or `origin/<it>`, whichever is ahead.
   */
  base?: string;
  /**
   * Reuse an existing local branch whatever its history. Without it, an existing branch is reused
   * only when it is related to the base (one contains the other); pass it when the caller knows
   * the branch is its own, e.g. the realm's tracking file already lists this domain.
   */
  adoptBranch?: boolean;
}

export interface AddedWorktree {
  /** The worktree's absolute path (symlinks resolved). */
  path: string;
  branch: string;
  /** False when the worktree was already there (nothing changed). */
  created: boolean;
  /** True when this call created the branch; false when it existed (reused) or the worktree did. */
  branchCreated: boolean;
  /** Full SHA of the worktree's HEAD. */
  head: string;
}

/**
 * Makes sure a worktree of `repo` at `path` has `branch` checked out; running it again changes
 * nothing. Creates the branch from `base` when it does not exist (`git worktree add --no-track -b`),
 * reuses it when it does (e.g. an earlier run was killed after creating the branch), finishes the
 * leftovers of a killed `git worktree add` and forgets a worktree whose folder was deleted.
 * Refused with DIRTY_WORKTREE before anything changes: a path that exists and is not a worktree
 * of this repo on `branch` (another branch, another repo, any file or non-empty folder); a branch
 * checked out in another worktree; an existing branch unrelated to the base (see `adoptBranch`).
 * An invalid branch name or unknown base is VALUE_INVALID.
 *
 * Everything the checks need comes from the files git keeps (worktreesFromFiles, the ref files;
 * `git worktree list` and `git for-each-ref` when those cannot say), then one `git worktree add`:
 * a realm-wide command runs this in every repo, and each git process costs the single Node
 * thread a fork.
 */
export async function addWorktree(repo: string, input: AddWorktreeInput, options: GitOptions = {}): Promise<AddedWorktree> {
  const ready = await prepareWorktree(repo, input, options);
  if (ready.add !== undefined) await runGit(repo, ready.add, options);
  return ready.worktree;
}

/** What prepareWorktree leaves to do: nothing (`add` undefined), or the one `git <add>` in the repository. */
export interface PreparedWorktree {
  /** The worktree as it is once `add` has run. */
  worktree: AddedWorktree;
  /** The `git worktree add …` arguments; undefined when the worktree is already there. */
  add?: string[];
}

/**
 * addWorktree but its last git command: the same checks and refusals, and the leftovers of a
 * killed `git worktree add` (or of a deleted worktree folder) cleaned up, then the `git worktree
 * add` arguments that finish it, for the caller to run (runGit, or runGitMany across repos).
 */
export async function prepareWorktree(repo: string, input: AddWorktreeInput, options: GitOptions = {}): Promise<PreparedWorktree> {
  const { branch } = input;
  assertBranchName(branch);
  // The repository's top folder is needed for a relative path, and in messages only.
  let top: Promise<string> | undefined;
  const root = (): Promise<string> => (top ??= repoRoot(repo, options));
  const path = canonical(isAbsolute(input.path) ? resolve(input.path) : resolve(await root(), input.path));
  const explicitBase = input.base;
  const dirs = await gitDirsAt(repo, options.env);
  const [listed, explicitSha] = await Promise.all([
    worktreesAt(repo, dirs, { path, branch }, options),
    explicitBase === undefined || explicitBase.startsWith('-') ? undefined : resolveCommit(repo, explicitBase, options),
  ]).catch(async (err: unknown) => {
    // Outside a repository: the same NOT_A_REPO (and hint) as repoRoot says it.
    if (err instanceof BlueError && err.code === 'NOT_A_REPO') await root();
    throw err;
  });
  const refs = (dirs === undefined ? undefined : await readBranchRefsFromFiles(dirs, branch, listed[0])) ?? (await readBranchRefs(repo, options));
  const worktrees = listed.map((w) => ({ ...w, path: canonical(w.path) }));
  const here = worktrees.find((w) => w.path === path && !w.prunable);
  // Locked "initializing" is what a killed `git worktree add` leaves: ours to finish.
  const unfinished = here?.lockReason === 'initializing';
  if (here !== undefined && !unfinished) {
    if (here.branch !== branch) throw notOurs(path, await root(), `it is a worktree of ${await root()} on ${describeCheckout(here)}`);
    return { worktree: { path, branch, created: false, branchCreated: false, head: here.head } };
  }
  const elsewhere = worktrees.find((w) => w.branch === branch && w.path !== path && !w.prunable);
  if (elsewhere !== undefined) {
    throw new BlueError('DIRTY_WORKTREE', `Branch ${branch} is already checked out in ${elsewhere.path}, so it cannot also be checked out in ${path}.`, {
      hint: `Work in ${elsewhere.path}, or free the branch there (\`git -C ${elsewhere.path} switch <another branch>\`), then run the command again.`,
    });
  }
  if (!unfinished) await assertFreePath(path, root);
  const base = explicitBase === undefined ? await defaultBase(repo, refs, listed[0], root, options) : await explicitBaseOf(root, explicitBase, explicitSha);
  const tip = refs.heads.get(branch);
  if (tip !== undefined && input.adoptBranch !== true && !(await related(repo, base.sha, tip, options))) {
    throw new BlueError('DIRTY_WORKTREE', `Branch ${branch} already exists in ${await root()} with work that is not based on ${base.ref} (${tip.slice(0, 12)}), so Blue will not take it over.`, {
      hint: `Rename or delete that branch (\`git -C ${await root()} branch -m ${branch} <new name>\`), or choose another branch name, then run the command again.`,
    });
  }
  if (unfinished) await runGit(repo, ['worktree', 'remove', '--force', '--force', path], options);
  if (worktrees.some((w) => w.prunable && (w.path === path || w.branch === branch))) await runGit(repo, ['worktree', 'prune'], options);
  const args = tip === undefined ? ['--no-track', '-b', branch, path, base.ref] : [path, branch];
  // The new worktree's HEAD is the branch's tip: the existing one, or the base it was created at.
  return { worktree: { path, branch, created: true, branchCreated: tip === undefined, head: tip ?? base.sha }, add: ['worktree', 'add', '--quiet', ...args] };
}

/** The worktrees of `repo` (listWorktrees), from the files git keeps when they say: then only the main one and those in `focus`. */
async function worktreesAt(repo: string, dirs: GitDirs | undefined, focus: WorktreeFocus, options: GitOptions): Promise<WorktreeEntry[]> {
  return (dirs === undefined ? undefined : await worktreesFromFiles(dirs, focus)) ?? listWorktrees(repo, options);
}

/**
 * Adds `/<dirName>/` (default `/.worktrees/`) to the repository's `info/exclude` (shared by all its
 * worktrees) unless a line there already ignores it. Returns the file and whether it was changed.
 */
export async function excludeWorktreesDir(repo: string, dirName: string = REPO_WORKTREES_DIR, options: GitOptions = {}): Promise<{ file: string; added: boolean }> {
  if (dirName === '' || dirName === '.' || dirName === '..' || /[/\\\n*?[!#]/.test(dirName)) {
    throw new BlueError('VALUE_INVALID', `${JSON.stringify(dirName)} cannot be excluded as a worktrees folder: it must be one plain folder name.`);
  }
  const common = (await gitDirsAt(repo, options.env))?.commonDir ?? resolve(repo, await gitOutput(repo, ['rev-parse', '--git-common-dir'], options));
  const file = join(common, 'info', 'exclude');
  const text = (await readIfExists(file)) ?? '';
  const same = new Set([`/${dirName}/`, `/${dirName}`, `${dirName}/`, dirName]);
  if (text.split('\n').some((line) => same.has(line.trim()))) return { file, added: false };
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(file, `${text}${separator}/${dirName}/\n`);
  return { file, added: true };
}

function notOurs(path: string, root: string, what: string): BlueError {
  return new BlueError('DIRTY_WORKTREE', `${path} is in the way: ${what}. Blue will not use it as a worktree; nothing was changed.`, {
    hint: `Move or remove ${path} yourself (for a worktree: \`git -C ${root} worktree remove ${path}\`), or choose another branch, then run the command again.`,
  });
}

function describeCheckout(w: WorktreeEntry): string {
  if (w.branch !== undefined) return `branch ${w.branch}`;
  return w.bare ? 'no branch (bare)' : `a detached HEAD (${w.head.slice(0, 12)})`;
}

/** Refuses a path that exists, unless it is an empty folder (git fills those). */
async function assertFreePath(path: string, root: () => Promise<string>): Promise<void> {
  const stats = await lstatIfExists(path);
  if (stats === undefined) return;
  if (!stats.isDirectory()) throw notOurs(path, await root(), stats.isSymbolicLink() ? 'it is a symlink' : 'it is a file');
  if (readdirSync(path).length > 0) throw notOurs(path, await root(), `it is a folder with files that is not a worktree of ${await root()}`);
}

async function explicitBaseOf(root: () => Promise<string>, base: string, sha: string | undefined): Promise<{ ref: string; sha: string }> {
  if (sha === undefined) {
    throw new BlueError('VALUE_INVALID', `${JSON.stringify(base)} is not a commit in ${await root()}, so no branch can start from it.`, {
      hint: 'Name a branch, tag or commit of that repository (fetch it first if it is only on the remote).',
    });
  }
  return { ref: base, sha };
}

/** The default branch, the local one or `origin/<it>`, whichever is ahead. */
async function defaultBase(repo: string, refs: BranchRefs, main: WorktreeEntry | undefined, root: () => Promise<string>, options: GitOptions): Promise<{ ref: string; sha: string }> {
  const name = await defaultBranchFrom(repo, refs, main, options);
  const local = { ref: `refs/heads/${name}`, sha: refs.heads.get(name) };
  const remote = { ref: `refs/remotes/origin/${name}`, sha: refs.origin.get(name) };
  // The local branch, unless it merely lags behind what was fetched from origin.
  const lags = local.sha !== undefined && remote.sha !== undefined && local.sha !== remote.sha && (await isAncestor(repo, local.sha, remote.sha, options));
  const best = local.sha === undefined || lags ? remote : local;
  if (best.sha === undefined) {
    const top = await root();
    throw new BlueError('GIT_FAILED', `${top} has no commit on its default branch ${name}, so no branch can start from it.`, {
      hint: `Commit on ${name} (or \`git -C ${top} fetch origin\`), then run the command again.`,
    });
  }
  return { ref: best.ref, sha: best.sha };
}

/** One contains the other: the branch is the base plus work, or the base has moved on past it. */
async function related(root: string, base: string, tip: string, options: GitOptions): Promise<boolean> {
  return (await isAncestor(root, base, tip, options)) || isAncestor(root, tip, base, options);
}

/** `path` with symlinks resolved as far as it exists (the rest appended as it is); synchronous, as in paths.ts. */
function canonical(path: string): string {
  const rest: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      return join(realpathSync.native(dir), ...rest);
    } catch (err) {
      if (!hasErrno(err, 'ENOENT') && !hasErrno(err, 'ENOTDIR')) throw err;
    }
    if (dirname(dir) === dir) return path;
    rest.unshift(basename(dir));
  }
}
