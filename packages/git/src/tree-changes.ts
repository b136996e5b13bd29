import { gitDirsAt, headFromFiles } from './paths.js';
import { runGit, type GitOptions } from './run.js';

/** Where a worktree's git data is and what its HEAD holds. */
export interface HeadTree {
  /** Absolute git dir of this worktree (`.git`, or `.git/worktrees/<name>` for a linked one). */
  gitDir: string;
  /** `dir` relative to the top of the worktree, `/`-terminated; '' at the top. */
  prefix: string;
  /** The tree id of HEAD; undefined while the branch has no commit. */
  tree: string | undefined;
  /** The commit HEAD is at; undefined while the branch has no commit. */
  commit?: string;
}

/** A commit's tree never changes: learnt once, kept for the process (bounded). */
const treesOfCommits = new Map<string, string>();
const TREES_KEPT = 1024;

function rememberTree(commit: string, tree: string): void {
  if (treesOfCommits.size >= TREES_KEPT) treesOfCommits.delete(treesOfCommits.keys().next().value as string);
  treesOfCommits.set(commit, tree);
}

/** One changed path of a raw diff (`git diff-* --raw -z`): modes as 6 octal digits, `000000` when absent. */
export interface RawChange {
  /** Relative to `dir`, `/`-separated. */
  path: string;
  /** Mode before: in the tree (diff-index, diff-tree) or in the index (diff-files). */
  srcMode: string;
  /** Mode after: in the index (diff-index --cached), the worktree (diff-files) or the second tree. */
  dstMode: string;
  /** git's status letter: A, D, M, T or U (unmerged). */
  status: string;
}

/**
 * The git dir, the prefix of `dir`, HEAD's commit and tree (NOT_A_REPO outside a repository).
 * Without starting git when the files say it all: `dir` is a worktree's top folder, HEAD's
 * commit is read from the ref files, and its tree is known, from earlier in this process or from
 * `known` (a commit and its tree the caller saved, e.g. in a cache, trusted as given: the caller
 * checks what it saved). Else one `git rev-parse`.
 */
export async function readHeadTree(dir: string, options: GitOptions = {}, known?: { commit: string; tree: string }): Promise<HeadTree> {
  const dirs = await gitDirsAt(dir, options.env);
  const commit = dirs === undefined ? undefined : await headFromFiles(dirs);
  const tree = commit === undefined ? undefined : commit === known?.commit ? known.tree : treesOfCommits.get(commit);
  if (dirs !== undefined && commit !== undefined && tree !== undefined) return { gitDir: dirs.gitDir, prefix: '', tree, commit };
  const result = await runGit(dir, ['rev-parse', '--absolute-git-dir', '--show-prefix', 'HEAD^{commit}', 'HEAD^{tree}'], { ...options, okExitCodes: [128] });
  const [gitDir = '', prefix = '', headCommit = '', headTree = ''] = result.stdout.split('\n');
  if (result.exitCode === 0) {
    rememberTree(headCommit, headTree);
    return { gitDir, prefix, tree: headTree, commit: headCommit };
  }
  // 128 after naming the git dir: HEAD has no commit yet. Anything else: as git says.
  if (gitDir.startsWith('/')) return { gitDir, prefix, tree: undefined };
  const verified = await runGit(dir, ['rev-parse', '--absolute-git-dir', '--show-prefix', '--verify', '-q', 'HEAD^{tree}'], { ...options, okExitCodes: [1] });
  const [againDir = '', againPrefix = '', againTree = ''] = verified.stdout.split('\n');
  return { gitDir: againDir, prefix: againPrefix, tree: verified.exitCode === 0 && againTree !== '' ? againTree : undefined };
}

/**
 * Tracked paths under `dir` whose worktree differs from the index (`git diff-files`): modified,
 * deleted, type changed, unmerged, intent-to-add. git compares stat data (content only for racily
 * clean entries), so a touched file is listed even when its content is the same; assume-unchanged
 * and skip-worktree entries are never listed. Submodules are not looked into.
 */
export async function diffWorktree(dir: string, options: GitOptions = {}): Promise<RawChange[]> {
  return rawDiff(dir, ['diff-files', '--raw', '-z', '--relative', '--ignore-submodules=all'], options);
}

/** Paths under `dir` whose index entry differs from `tree` (`git diff-index --cached`), renames not paired. */
export async function diffIndexFromTree(dir: string, tree: string, options: GitOptions = {}): Promise<RawChange[]> {
  return rawDiff(dir, ['diff-index', '--cached', '--raw', '-z', '--relative', '--no-renames', tree, '--'], options);
}

/** Paths under `dir` that differ between two trees (`git diff-tree -r`), renames not paired. GIT_FAILED when one is unknown. */
export async function diffTrees(dir: string, from: string, to: string, options: GitOptions = {}): Promise<RawChange[]> {
  return rawDiff(dir, ['diff-tree', '-r', '--raw', '-z', '--relative', '--no-renames', from, to, '--'], options);
}

async function rawDiff(dir: string, args: readonly string[], options: GitOptions): Promise<RawChange[]> {
  const { stdout } = await runGit(dir, args, options);
  // `:<src mode> <dst mode> <src id> <dst id> <status>[score]\0<path>\0`, repeated.
  const parts = stdout.split('\0');
  const changes: RawChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [srcMode = '', dstMode = '', , , status = ''] = (parts[i] ?? '').replace(/^:/, '').split(' ');
    changes.push({ path: parts[i + 1] ?? '', srcMode, dstMode, status: status.slice(0, 1) });
  }
  return changes;
}
