import { mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasErrno, writeFileAtomic } from '@blue/core';
import { assertClean, commit, gitOutput, runGit } from '@blue/git';
import type { BlueContext } from '../context.js';
import { assertRealmChangesReadable } from './write-guard.js';

/** A change to one realm file: new content, or null to delete it. */
export interface FileChange {
  path: string;
  content: string | null;
}

export interface RealmCommitOptions {
  /** Commit on this branch (created from HEAD) without touching the realm's worktree. */
  branch?: string;
}

/**
 * The paths a realm commit is writing, kept in the realm's git folder from before the first
 * file is written until the commit is made: when it is there, a Blue process died in between.
 */
const JOURNAL = 'blue-realm-write.json';

const journalPath = (realmPath: string): string => join(realmPath, '.git', JOURNAL);

/**
 * Applies `changes` to the realm and commits them as one commit, or leaves the realm exactly as
 * it was: the realm clone must be clean first, and any failure resets the touched paths. A process
 * killed half-way leaves a journal, and the next command undoes its files (recoverRealmWrite).
 * Returns the commit SHA, or undefined when the changes change nothing.
 */
export async function commitRealmChange(ctx: BlueContext, realmPath: string, changes: readonly FileChange[], message: string, options: RealmCommitOptions = {}): Promise<string | undefined> {
  const env = { env: ctx.env };
  // Nothing Blue's readers would refuse afterwards is written (VALUE_TOO_LARGE), before the first file.
  assertRealmChangesReadable(changes, message);
  await recoverRealmWrite(ctx, realmPath);
  await assertClean(realmPath, `The realm clone ${realmPath}`, env);
  if (options.branch !== undefined) return commitOnBranch(ctx, realmPath, changes, message, options.branch);
  const paths = changes.map((c) => c.path);
  // Only a clone with its own .git folder (not a linked worktree) keeps a journal.
  const journal = await writeFileAtomic(journalPath(realmPath), JSON.stringify({ paths })).then(() => true, () => false);
  try {
    for (const change of changes) {
      if (change.content === null) await removeFile(realmPath, change.path);
      else await writeFileAtomic(join(realmPath, change.path), change.content);
    }
    ctx.checkpoint('realm:files-written');
    const status = await gitOutput(realmPath, ['status', '--porcelain', '--', ...paths], env);
    if (status === '') return undefined;
    const sha = await commit(realmPath, message, { ...env, paths });
    ctx.checkpoint('realm:committed');
    return sha;
  } catch (err) {
    await undoWrite(ctx, realmPath, paths).catch(() => undefined);
    throw err;
  } finally {
    if (journal) await rm(journalPath(realmPath), { force: true });
  }
}

/**
 * Undoes the files of a realm commit a killed Blue process left uncommitted (its journal names
 * them): each goes back to what HEAD has, or away when HEAD has none. After a commit that was made
 * (the process died before removing its journal) there is nothing to undo. Called before the realm
 * is read, so a command run again sees the realm as it was and redoes the work.
 */
export async function recoverRealmWrite(ctx: BlueContext, realmPath: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(journalPath(realmPath), 'utf8');
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) return;
    throw err;
  }
  let parsed: { paths?: unknown } = {};
  try {
    parsed = JSON.parse(text) as { paths?: unknown };
  } catch {
    // Unreadable: nothing to undo by name; the clean-clone check that follows still guards.
  }
  const paths = Array.isArray(parsed.paths) ? parsed.paths.filter((p): p is string => typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.split('/').includes('..')) : [];
  if (paths.length > 0) await undoWrite(ctx, realmPath, paths);
  await rm(journalPath(realmPath), { force: true });
}

/** Puts `paths` back as HEAD has them: unstaged, restored, or removed (with emptied folders). */
async function undoWrite(ctx: BlueContext, realmPath: string, paths: readonly string[]): Promise<void> {
  const env = { env: ctx.env };
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

/**
 * Commits on `branch` through a private index: blobs are hashed, a tree written and a commit
 * made on top of HEAD, then the branch ref is set. The checked-out branch and files never move.
 */
async function commitOnBranch(ctx: BlueContext, realmPath: string, changes: readonly FileChange[], message: string, branch: string): Promise<string> {
  const gitDir = await gitOutput(realmPath, ['rev-parse', '--absolute-git-dir'], { env: ctx.env });
  const indexFile = join(gitDir, `blue-index-${process.pid}-${Date.now()}`);
  const env = { env: { ...ctx.env, GIT_INDEX_FILE: indexFile } };
  await mkdir(dirname(indexFile), { recursive: true });
  try {
    await runGit(realmPath, ['read-tree', 'HEAD'], env);
    for (const change of changes) {
      if (change.content === null) {
        await runGit(realmPath, ['update-index', '--force-remove', '--', change.path], env);
      } else {
        const blob = await gitOutput(realmPath, ['hash-object', '-w', '--stdin'], { ...env, input: change.content });
        await runGit(realmPath, ['update-index', '--add', '--cacheinfo', `100644,${blob},${change.path}`], env);
      }
    }
    const tree = await gitOutput(realmPath, ['write-tree'], env);
    const sha = await gitOutput(realmPath, ['commit-tree', tree, '-p', 'HEAD', '-F', '-'], { ...env, input: message });
    await runGit(realmPath, ['update-ref', `refs/heads/${branch}`, sha], env);
    return sha;
  } finally {
    await rm(indexFile, { force: true });
  }
}
