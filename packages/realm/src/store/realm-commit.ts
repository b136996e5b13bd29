import { readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasErrno, writeFileAtomic } from '@blue/core';
import { assertClean, commit, commitTreeOnBranch, gitOutput, runGit } from '@blue/git';
import type { BlueContext } from '../context.js';
import { currentProcess, isProcessAlive } from './process-identity.js';
import { assertRealmChangesReadable } from './write-guard.js';

/** A change to one realm file: new content, or null to delete it. */
export interface FileChange {
  path: string;
  content: string | null;
}

export interface RealmCommitOptions {
  /** Commit on this branch (created from HEAD) without touching the realm's worktree. */
  branch?: string;
  /** The caller saw the clone clean under the lock it still holds (the gate, after its pull): not asked again. */
  clean?: boolean;
}

/**
 * The paths a realm commit is writing and the process writing them, kept in the realm's git
 * folder from before the first file is written until the commit is made. Written only under the
 * realm lock (realm-gate.ts): when it is there and its owner is dead, a Blue process died in
 * between; while its owner lives it is that writer's, and nobody touches its files.
 */
const JOURNAL = 'blue-realm-write.json';

const journalPath = (realmPath: string): string => join(realmPath, '.git', JOURNAL);

/**
 * Applies `changes` to the realm and commits them as one commit, or leaves the realm exactly as
 * it was: the realm clone must be clean first, and any failure resets the touched paths. A process
 * killed half-way leaves a journal, and the next writer undoes its files (recoverRealmWrite).
 * Returns the commit SHA, or undefined when the changes change nothing. Only for the realm gate,
 * which holds the realm lock around it.
 */
export async function commitRealmChange(ctx: BlueContext, realmPath: string, changes: readonly FileChange[], message: string, options: RealmCommitOptions = {}): Promise<string | undefined> {
  const env = ctx.git.options;
  // Nothing Blue's readers would refuse afterwards is written (VALUE_TOO_LARGE), before the first file.
  assertRealmChangesReadable(changes, message);
  if (options.branch !== undefined) return commitTreeOnBranch(realmPath, { parent: 'HEAD', changes, message, branch: options.branch }, env);
  if (options.clean !== true) await assertClean(realmPath, `The realm clone ${realmPath}`, env);
  // The clone is clean, so its files are HEAD's: changes that change nothing commit nothing, and no git is asked.
  const current = await currentContents(realmPath, changes);
  if (changes.every((change, i) => current[i] === change.content)) return undefined;
  // And a file that is there is tracked (or ignored, which `git add` refuses as `git commit` does):
  // when every one is, `git commit --only` stages and commits them in one git process.
  const pathsTracked = current.every((content) => content !== null);
  const paths = changes.map((c) => c.path);
  // Only a clone with its own .git folder (not a linked worktree) keeps a journal.
  const journal = await writeFileAtomic(journalPath(realmPath), JSON.stringify({ owner: currentProcess(), paths })).then(() => true, () => false);
  try {
    for (const change of changes) {
      if (change.content === null) await removeFile(realmPath, change.path);
      else await writeFileAtomic(join(realmPath, change.path), change.content);
    }
    ctx.checkpoint('realm:files-written');
    const sha = await commit(realmPath, message, { ...env, paths, pathsTracked }).catch(async (err: unknown) => {
      // Different bytes git sees as the same (its filters): nothing to commit, as before the files were written.
      if ((await gitOutput(realmPath, ['status', '--porcelain', '--', ...paths], env).catch(() => 'unknown')) === '') return undefined;
      throw err;
    });
    if (sha === undefined) return undefined;
    ctx.checkpoint('realm:committed');
    return sha;
  } catch (err) {
    await undoWrite(ctx, realmPath, paths).catch(() => undefined);
    throw err;
  } finally {
    if (journal) await rm(journalPath(realmPath), { force: true });
  }
}

/** The content of each change's file as it is now (null: not there). */
async function currentContents(realmPath: string, changes: readonly FileChange[]): Promise<Array<string | null>> {
  return Promise.all(changes.map((change) => readFile(join(realmPath, change.path), 'utf8').catch((err: unknown) => {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) return null;
    throw err;
  })));
}

/**
 * Undoes the files of a realm commit a killed Blue process left uncommitted (its journal names
 * them): each goes back to what HEAD has, or away when HEAD has none. After a commit that was made
 * (the process died before removing its journal) there is nothing to undo. A journal whose owner
 * still runs is left alone: it is a writer at work, not a dead one. Called by writers under the
 * realm lock before they read, so a command run again sees the realm as it was and redoes the work.
 */
export async function recoverRealmWrite(ctx: BlueContext, realmPath: string): Promise<void> {
  const journal = await readJournal(realmPath);
  if (journal === undefined || journal.alive) return;
  const { parsed } = journal;
  const paths = Array.isArray(parsed.paths) ? parsed.paths.filter((p): p is string => typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.split('/').includes('..')) : [];
  if (paths.length > 0) await undoWrite(ctx, realmPath, paths);
  await rm(journalPath(realmPath), { force: true });
}

interface Journal {
  parsed: { paths?: unknown };
  /** Its owner is running (a journal without an owner is from an older Blue: taken as dead). */
  alive: boolean;
}

async function readJournal(realmPath: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath(realmPath), 'utf8');
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) return undefined;
    throw err;
  }
  let parsed: { paths?: unknown; owner?: { pid?: unknown; start?: unknown } } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Unreadable: nothing to undo by name; the clean-clone check that follows still guards.
  }
  const pid = parsed.owner?.pid;
  const start = parsed.owner?.start;
  const alive = typeof pid === 'number' && pid > 0 && isProcessAlive({ pid, ...(typeof start === 'string' ? { start } : {}) });
  return { parsed, alive };
}

/** True while a live writer's journal is in the realm clone: its files are being written. */
export async function realmWriteInProgress(realmPath: string): Promise<boolean> {
  return (await readJournal(realmPath))?.alive === true;
}

/** Puts `paths` back as HEAD has them: unstaged, restored, or removed (with emptied folders). */
async function undoWrite(ctx: BlueContext, realmPath: string, paths: readonly string[]): Promise<void> {
  const env = ctx.git.options;
  await runGit(realmPath, ['reset', '--quiet', 'HEAD', '--', ...paths], env).catch(() => undefined);
  const tracked = (await gitOutput(realmPath, ['ls-tree', '-r', '--name-only', 'HEAD', '--', ...paths], env)).split('\n').filter(Boolean);
  if (tracked.length > 0) await runGit(realmPath, ['checkout', 'HEAD', '--', ...tracked], env);
  for (const path of paths.filter((p) => !tracked.includes(p))) await removeFile(realmPath, path);
}

async function removeFile(root: string, path: string): Promise<void> {
  await rm(join(root, path), { force: true });
  let dir = dirname(path);
  while (dir !== '.' && dir !== '') {
    try {
      await rmdir(join(root, dir));
    } catch (err) {
      if (hasErrno(err, 'ENOTEMPTY') || hasErrno(err, 'EEXIST') || hasErrno(err, 'ENOENT')) return;
      throw err;
    }
    dir = dirname(dir);
  }
}
