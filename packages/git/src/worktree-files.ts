import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { hasErrno } from '@blue/core';
import { readIfExists, readStoredRefs, type GitDirs } from './paths.js';
import type { WorktreeEntry } from './worktree-list.js';

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const HEADS = 'refs/heads/';

/**
 * Every worktree of the repository, as `git worktree list --porcelain` reports it (see
 * listWorktrees), read from the files git keeps instead of a git process: the main worktree is
 * the folder holding the common `.git` folder, each linked one is `<common>/worktrees/<id>/` with
 * its `gitdir` (the worktree's `.git` file), `HEAD` and `locked` files. A realm-wide command runs
 * this in every repo; a git process costs the one Node thread a fork. The files are read
 * synchronously, as in paths.ts.
 *
 * Undefined whenever that is not certain, and the caller asks git: a common folder not named
 * `.git` (a bare or separate git folder), a config that may say `bare` (anything but `bare =
 * false`, or an included file), a relative `gitdir` (newer git's `worktree.useRelativePaths`), a HEAD that is neither a
 * branch nor a commit, a branch that is itself symbolic, refs the files cannot answer (reftable).
 */
export async function worktreesFromFiles(dirs: GitDirs, focus?: WorktreeFocus): Promise<WorktreeEntry[] | undefined> {
  const { commonDir } = dirs;
  if (basename(commonDir) !== '.git') return undefined;
  const config = (await readIfExists(join(commonDir, 'config'))) ?? '';
  if (/^[ \t]*bare[ \t]*(?:=(?![ \t]*(?:false|no|off|0)[ \t]*$)|$)/im.test(config) || /^\s*\[include/im.test(config)) return undefined;
  const mainHead = headOf(await readIfExists(join(commonDir, 'HEAD')));
  if (mainHead === undefined) return undefined;
  const main: Draft = { path: dirname(realpathSync.native(commonDir)), head: mainHead, locked: undefined, prunable: false };
  const linked = await linkedWorktrees(join(commonDir, 'worktrees'), focus);
  if (linked === undefined) return undefined;
  const drafts = [main, ...linked];
  const branches = drafts.flatMap((d) => ('branch' in d.head ? [`${HEADS}${d.head.branch}`] : []));
  const tips = await readStoredRefs(commonDir, [...new Set(branches)]);
  if (tips === undefined) return undefined;
  const entries: WorktreeEntry[] = [];
  for (const draft of drafts) {
    const entry: WorktreeEntry = { path: draft.path, head: '', bare: false, detached: false, locked: draft.locked !== undefined, prunable: draft.prunable };
    if ('branch' in draft.head) {
      const tip = tips.get(`${HEADS}${draft.head.branch}`);
      // A symbolic branch (e.g. master → main): git follows it; leave that to git.
      if (tip !== undefined && !('sha' in tip)) return undefined;
      entry.branch = draft.head.branch;
      entry.head = tip?.sha ?? '';
    } else {
      entry.detached = true;
      entry.head = /^0+$/.test(draft.head.detached) ? '' : draft.head.detached;
    }
    if (draft.locked !== undefined && draft.locked !== '') entry.lockReason = draft.locked;
    entries.push(entry);
  }
  return entries;
}

/**
 * Only the worktrees a caller asks about, besides the main one: the one at `path` (as git
 * recorded it: a real path) and those on `branch`. The others cost no more than reading their
 * `gitdir` and `HEAD` (a realm-wide command reads this in every repo, and old worktrees pile up).
 */
export interface WorktreeFocus {
  path: string;
  branch: string;
}

/** A worktree before its branch's tip is known; `locked` is the lock reason ('' for none given). */
interface Draft {
  path: string;
  head: { branch: string } | { detached: string };
  locked: string | undefined;
  prunable: boolean;
}

/** The linked worktrees under `<common>/worktrees/`, as git lists them (an entry with no readable `gitdir` is skipped, as git does). */
async function linkedWorktrees(admin: string, focus: WorktreeFocus | undefined): Promise<Draft[] | undefined> {
  let ids: string[];
  try {
    ids = readdirSync(admin);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return [];
    if (hasErrno(err, 'ENOTDIR')) return undefined;
    throw err;
  }
  const drafts = await Promise.all(ids.map((id) => linkedWorktree(join(admin, id), focus).catch((err: unknown) => {
    // Not a folder: git cannot read a `gitdir` in it either, and skips it.
    if (hasErrno(err, 'ENOTDIR')) return null;
    throw err;
  })));
  if (drafts.includes(undefined)) return undefined;
  return drafts.filter((d): d is Draft => d !== undefined && d !== null);
}

/**
 * One linked worktree; null when git would not list it (no `gitdir`) or it is out of `focus`,
 * undefined when git must be asked.
 */
async function linkedWorktree(dir: string, focus: WorktreeFocus | undefined): Promise<Draft | null | undefined> {
  const [gitdirText, headText] = await Promise.all([readIfExists(join(dir, 'gitdir')), readIfExists(join(dir, 'HEAD'))]);
  const gitdir = gitdirText?.replace(/[\r\n]+$/, '');
  if (gitdir === undefined || gitdir === '') return null;
  if (!isAbsolute(gitdir)) return undefined;
  const head = headOf(headText);
  if (head === undefined) return undefined;
  const path = gitdir.endsWith('/.git') ? gitdir.slice(0, -'/.git'.length) : gitdir;
  if (focus !== undefined && path !== focus.path && !('branch' in head && head.branch === focus.branch)) return null;
  const locked = await readIfExists(join(dir, 'locked'));
  // git lists a worktree whose `.git` file is gone as prunable, unless it is locked.
  const prunable = locked === undefined && !exists(gitdir);
  return { path, head, locked: locked?.trim(), prunable };
}

/** A HEAD file: a branch (`ref: refs/heads/<name>`) or a detached commit; undefined for anything else. */
function headOf(text: string | undefined): Draft['head'] | undefined {
  const head = text?.trim();
  if (head === undefined) return undefined;
  if (head.startsWith(`ref: ${HEADS}`) && head.length > `ref: ${HEADS}`.length) return { branch: head.slice(`ref: ${HEADS}`.length) };
  return SHA.test(head) ? { detached: head } : undefined;
}

/** Whether `path` exists, its symlinks followed (git's file_exists); read synchronously as in paths.ts. */
function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}
