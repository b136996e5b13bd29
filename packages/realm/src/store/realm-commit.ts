import { mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasErrno, writeFileAtomic } from '@blue/core';
import { assertClean, commit, gitOutput, runGit } from '@blue/git';
import type { BlueContext } from '../context.js';

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
 * Applies `changes` to the realm and commits them as one commit, or leaves the realm exactly as
 * it was: the realm clone must be clean first, and any failure resets the touched paths.
 * Returns the commit SHA, or undefined when the changes change nothing.
 */
export async function commitRealmChange(ctx: BlueContext, realmPath: string, changes: readonly FileChange[], message: string, options: RealmCommitOptions = {}): Promise<string | undefined> {
  const env = { env: ctx.env };
  await assertClean(realmPath, `The realm clone ${realmPath}`, env);
  if (options.branch !== undefined) return commitOnBranch(ctx, realmPath, changes, message, options.branch);
  const paths = changes.map((c) => c.path);
  try {
    for (const change of changes) {
      if (change.content === null) await removeFile(realmPath, change.path);
      else await writeFileAtomic(join(realmPath, change.path), change.content);
    }
    const status = await gitOutput(realmPath, ['status', '--porcelain', '--', ...paths], env);
    if (status === '') return undefined;
    return await commit(realmPath, message, { ...env, paths });
  } catch (err) {
    await runGit(realmPath, ['reset', '--quiet', '--hard', 'HEAD'], env).catch(() => undefined);
    await runGit(realmPath, ['clean', '--quiet', '-fd', '--', ...paths], env).catch(() => undefined);
    throw err;
  }
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
