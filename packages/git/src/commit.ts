import { gitOutput, runGit, type GitRunOptions } from './run.js';

export interface CommitOptions {
  /** Paths to stage before committing; default: everything (`git add --all`). */
  paths?: readonly string[];
  /** Environment for git (e.g. GIT_AUTHOR_NAME), merged over the process environment. */
  env?: GitRunOptions['env'];
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
  return gitOutput(dir, ['rev-parse', 'HEAD'], { env });
}
