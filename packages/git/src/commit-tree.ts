import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gitOutput, runGit, type GitOptions } from './run.js';

/** A change to one file of a commit made without a worktree: new content, or null to delete it. */
export interface TreeChange {
  path: string;
  content: string | null;
}

export interface CommitTreeInput {
  /** The commit to build on (e.g. `HEAD`). */
  parent: string;
  changes: readonly TreeChange[];
  message: string;
  /** The branch set to the new commit (`refs/heads/<branch>`), created or moved. */
  branch: string;
}

/**
 * Commits `changes` on top of `parent` and points `branch` at the result, through a private
 * index: blobs are hashed, a tree is written and a commit made, then the ref is set. The
 * checked-out branch, the index and the files never move. Returns the new commit's SHA.
 */
export async function commitTreeOnBranch(dir: string, input: CommitTreeInput, options: GitOptions = {}): Promise<string> {
  const gitDir = await gitOutput(dir, ['rev-parse', '--absolute-git-dir'], options);
  const indexFile = join(gitDir, `blue-index-${process.pid}-${randomBytes(4).toString('hex')}`);
  const env = { env: { ...(options.env ?? process.env), GIT_INDEX_FILE: indexFile } };
  await mkdir(dirname(indexFile), { recursive: true });
  try {
    await runGit(dir, ['read-tree', input.parent], env);
    for (const change of input.changes) {
      if (change.content === null) {
        await runGit(dir, ['update-index', '--force-remove', '--', change.path], env);
      } else {
        const blob = await gitOutput(dir, ['hash-object', '-w', '--stdin'], { ...env, input: change.content });
        await runGit(dir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${change.path}`], env);
      }
    }
    const tree = await gitOutput(dir, ['write-tree'], env);
    const sha = await gitOutput(dir, ['commit-tree', tree, '-p', input.parent, '-F', '-'], { ...env, input: input.message });
    await runGit(dir, ['update-ref', `refs/heads/${input.branch}`, sha], env);
    return sha;
  } finally {
    await rm(indexFile, { force: true });
  }
}
