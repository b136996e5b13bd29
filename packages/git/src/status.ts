import { BlueError } from '@blue/core';
import { runGit, type GitOptions } from './run.js';

export interface StatusEntry {
  /** Two-letter porcelain code, e.g. ` M`, `??`, `A `. */
  code: string;
  path: string;
}

/** Uncommitted changes in the worktree at `dir` (tracked and untracked; ignored ones, code `!!`, only with `ignored`). */
export async function statusEntries(dir: string, options: GitOptions & { ignored?: boolean } = {}): Promise<StatusEntry[]> {
  // `matching`: an ignored folder is one entry (git does not walk it), an ignored file in a plain folder is listed.
  const { ignored, ...git } = options;
  const { stdout } = await runGit(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', ...(ignored === true ? ['--ignored=matching'] : [])], git);
  const entries: StatusEntry[] = [];
  const parts = stdout.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part.length < 4) continue;
    const code = part.slice(0, 2);
    entries.push({ code, path: part.slice(3) });
    if (code.startsWith('R') || code.startsWith('C')) i++; // the next part is the rename source
  }
  return entries;
}

/** True when the worktree at `dir` has no uncommitted changes. */
export async function isClean(dir: string, options: GitOptions = {}): Promise<boolean> {
  return (await statusEntries(dir, options)).length === 0;
}

/** Throws DIRTY_WORKTREE, listing the changed files, when `dir` has uncommitted changes. */
export async function assertClean(dir: string, label = dir, options: GitOptions = {}): Promise<void> {
  throwIfChanged(await statusEntries(dir, options), dir, label);
}

/**
 * assertClean's check in the same git process that lists the ignored files and folders (a folder
 * ignored as a whole is one path ending in `/`): returns those paths when nothing else is there.
 */
export async function assertCleanListingIgnored(dir: string, label = dir, options: GitOptions = {}): Promise<string[]> {
  const entries = await statusEntries(dir, { ...options, ignored: true });
  throwIfChanged(entries.filter((e) => e.code !== '!!'), dir, label);
  return entries.map((e) => e.path);
}

function throwIfChanged(entries: readonly StatusEntry[], dir: string, label: string): void {
  if (entries.length === 0) return;
  const shown = entries.slice(0, 5).map((e) => e.path).join(', ');
  const more = entries.length > 5 ? ` and ${entries.length - 5} more` : '';
  throw new BlueError('DIRTY_WORKTREE', `${label} has uncommitted changes: ${shown}${more}.`, {
    hint: `Commit or stash them (\`git -C ${dir} status\` shows them), then run the command again.`,
  });
}
