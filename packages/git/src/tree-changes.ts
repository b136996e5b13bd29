import { runGit, type GitOptions } from './run.js';

/** Where a worktree's git data is and what its HEAD holds, from one `git rev-parse`. */
export interface HeadTree {
  /** Absolute git dir of this worktree (`.git`, or `.git/worktrees/<name>` for a linked one). */
  gitDir: string;
  /** `dir` relative to the top of the worktree, `/`-terminated; '' at the top. */
  prefix: string;
  /** The tree id of HEAD; undefined while the branch has no commit. */
  tree: string | undefined;
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

/** The git dir, the prefix of `dir` and HEAD's tree, from one `git rev-parse` (NOT_A_REPO outside a repository). */
export async function readHeadTree(dir: string, options: GitOptions = {}): Promise<HeadTree> {
  const result = await runGit(dir, ['rev-parse', '--absolute-git-dir', '--show-prefix', '--verify', '-q', 'HEAD^{tree}'], { ...options, okExitCodes: [1] });
  const [gitDir = '', prefix = '', tree = ''] = result.stdout.split('\n');
  return { gitDir, prefix, tree: result.exitCode === 0 && tree !== '' ? tree : undefined };
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
