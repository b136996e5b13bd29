import { gitDirsAt, headFromFiles } from './paths.js';
import { gitOutput, runGit, type GitOptions } from './run.js';

export interface CommitOptions extends GitOptions {
  /** Paths to stage before committing; default: everything (`git add --all`). */
  paths?: readonly string[];
  /** Allow a commit with no changes. */
  allowEmpty?: boolean;
}

/** Stages paths (all changes by default) and commits them. Returns the new commit's full SHA. */
export async function commit(dir: string, message: string, options: CommitOptions = {}): Promise<string> {
  const env = options.env;
  if (options.paths) await runGit(dir, ['add', '--all', '--', ...options.paths], { env });
  else await runGit(dir, ['add', '--all'], { env });
  const args = ['-c', 'commit.gpgSign=false', 'commit', '--quiet', '--no-verify', '--file=-'];
  if (options.allowEmpty) args.push('--allow-empty');
  await runGit(dir, args, { env, input: message });
  // The new commit from the ref files when they say it (as commitAllIn does), else from git.
  const dirs = await gitDirsAt(dir, env);
  return (dirs === undefined ? undefined : await headFromFiles(dirs)) ?? gitOutput(dir, ['rev-parse', 'HEAD'], { env });
}
