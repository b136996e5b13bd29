import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { gitDirsAt } from './paths.js';
import type { GitEnv } from './run.js';

/** Variables that change how git discovers a repository: with any of them set, git is asked. */
const DISCOVERY_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM'] as const;

/** `core.worktree` or `core.bare` in a repository's config moves or removes its work tree. */
const MOVES_WORK_TREE = /^\s*(?:worktree\s*=|bare\s*=\s*(?:true|yes|on|1)\s*$)/im;

/**
 * `git rev-parse --show-toplevel` answered from the file system, as git discovers a repository:
 * the nearest folder above the (real) `dir` holding a `.git` that is a repository. Undefined
 * whenever git could answer differently, and the caller asks git: discovery variables set, a
 * path inside a `.git` folder, a repository owned by another user (git's safe.directory check),
 * a config that sets `core.worktree` or `core.bare`, another file system on the way up
 * (git stops there), anything unreadable. Saves one git process per command.
 */
export async function repoRootFromFiles(dir: string, env: GitEnv | undefined): Promise<string | undefined> {
  const vars = env ?? process.env;
  if (DISCOVERY_ENV.some((name) => (vars[name] ?? '') !== '')) return undefined;
  try {
    let level = await realpath(dir);
    if (level.split(sep).includes('.git')) return undefined;
    const device = (await stat(level)).dev;
    for (;;) {
      const dirs = await gitDirsAt(level, vars);
      if (dirs !== undefined) return await isPlainOwnRepo(level, dirs.commonDir) ? level : undefined;
      const parent = dirname(level);
      if (parent === level || (await stat(parent)).dev !== device) return undefined;
      level = parent;
    }
  } catch {
    return undefined;
  }
}

async function isPlainOwnRepo(top: string, commonDir: string): Promise<boolean> {
  const uid = process.getuid?.();
  if (uid === undefined || (await stat(join(top, '.git'))).uid !== uid || (await stat(top)).uid !== uid) return false;
  return !MOVES_WORK_TREE.test(await readFile(join(commonDir, 'config'), 'utf8'));
}
