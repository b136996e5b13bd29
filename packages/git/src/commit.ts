import { gitDirsAt, headFromFiles } from './paths.js';
import { gitOutput, runGit, type GitOptions } from './run.js';

export interface CommitOptions extends GitOptions {
  /** Paths to stage before committing; default: everything (`git add --all`). */
  paths?: readonly string[];
  /** Allow a commit with no changes. */
  allowEmpty?: boolean;
  /**
   * Every one of `paths` is tracked (changed or deleted, none new) and nothing else is staged: they
   * are committed by one `git commit --only` (which stages them too), without a `git add` first.
   */
  pathsTracked?: boolean;
}

/** Stages paths (all changes by default) and commits them. Returns the new commit's full SHA. */
export async function commit(dir: string, message: string, options: CommitOptions = {}): Promise<string> {
  const env = options.env;
  const only = options.paths !== undefined && options.paths.length > 0 && options.pathsTracked === true;
  if (!only) await runGit(dir, ['add', '--all', ...(options.paths ? ['--', ...options.paths] : [])], { env });
  const args = ['-c', 'commit.gpgSign=false', 'commit', '--quiet', '--no-verify', '--file=-'];
  if (options.allowEmpty) args.push('--allow-empty');
  if (only) args.push('--only', '--', ...(options.paths ?? []));
  await runGit(dir, args, { env, input: message });
  // The new commit from the ref files when they say it (as commitAllIn does), else from git.
  const dirs = await gitDirsAt(dir, env);
  return (dirs === undefined ? undefined : await headFromFiles(dirs)) ?? gitOutput(dir, ['rev-parse', 'HEAD'], { env });
}
