import { configValue } from './repo.js';
import { gitOutput, runGit, type GitOptions } from './run.js';
import { resolveCommit } from './sync-steps.js';

/** One worktree of a repository, as `git worktree list --porcelain` reports it. */
export interface WorktreeEntry {
  /** Absolute path, as git recorded it. */
  path: string;
  /** Full SHA of its HEAD; '' for a bare repository or a branch with no commits yet. */
  head: string;
  /** The checked-out branch without `refs/heads/`; absent when detached or bare. */
  branch?: string;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  /** Why it is locked, when a reason was given (`initializing` while `git worktree add` runs). */
  lockReason?: string;
  /** Its folder is gone; `git worktree prune` would forget it. */
  prunable: boolean;
}

/** Every worktree of the repository containing `dir`, the main one first. */
export async function listWorktrees(dir: string, options: GitOptions = {}): Promise<WorktreeEntry[]> {
  const out = await gitOutput(dir, ['worktree', 'list', '--porcelain'], options);
  return out
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '')
    .map(parseEntry);
}

function parseEntry(block: string): WorktreeEntry {
  const entry: WorktreeEntry = { path: '', head: '', bare: false, detached: false, locked: false, prunable: false };
  for (const line of block.split('\n')) {
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? '' : line.slice(space + 1);
    if (key === 'worktree') entry.path = value;
    else if (key === 'HEAD') entry.head = /^0+$/.test(value) ? '' : value;
    else if (key === 'branch') entry.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'bare' || key === 'detached' || key === 'prunable') entry[key] = true;
    else if (key === 'locked') {
      entry.locked = true;
      if (value !== '') entry.lockReason = value;
    }
  }
  return entry;
}

/**
 * The repository's default branch, e.g. `main`: what `origin/HEAD` points at when git knows it
 * (set by `git clone`, or `git remote set-head origin --auto`), else the branch checked out in the
 * main worktree, else `init.defaultBranch`, else `main`. Reads local state only, never the network.
 */
export async function defaultBranch(dir: string, options: GitOptions = {}): Promise<string> {
  const prefix = 'refs/remotes/origin/';
  const result = await runGit(dir, ['symbolic-ref', '--quiet', `${prefix}HEAD`], { ...options, okExitCodes: [1, 128] });
  const target = result.stdout.trim();
  if (result.exitCode === 0 && target.startsWith(prefix) && (await resolveCommit(dir, target, options)) !== undefined) {
    return target.slice(prefix.length);
  }
  const main = (await listWorktrees(dir, options))[0];
  if (main?.branch !== undefined) return main.branch;
  return (await configValue(dir, 'init.defaultBranch', options)) ?? 'main';
}
