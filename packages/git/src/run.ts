import { BlueError, hasErrno, redactSecrets } from '@blue/core';

/** The environment git runs with. */
export type GitEnv = Record<string, string | undefined>;

/** What every git function accepts: the environment to run git in (default: this process's). */
export interface GitOptions {
  env?: GitEnv;
}

export interface GitRunOptions extends GitOptions {
  /** Text written to git's stdin. */
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 for `git diff --quiet`). */
  okExitCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Environment that keeps git from prompting, paging or translating its messages. */
const QUIET_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
  GCM_INTERACTIVE: 'never',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
};

/**
 * Runs one git command in `cwd` without a shell. Failures throw GIT_FAILED carrying git's
 * stderr with credentials redacted; a missing git binary says how to install it.
 */
export async function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  const { execa } = await import('execa');
  let result;
  try {
    result = await execa('git', [...args], {
      cwd,
      env: { ...(options.env ?? process.env), ...QUIET_ENV },
      extendEnv: false,
      input: options.input ?? '',
      reject: false,
      stripFinalNewline: false,
    });
  } catch (err) {
    throw new BlueError('GIT_FAILED', `Could not run git: ${(err as Error).message}`, {
      hint: 'Install git (2.28 or newer) and make sure it is on your PATH.',
      cause: err,
    });
  }
  if (result.failed && hasErrno(result, 'ENOENT')) {
    throw new BlueError('GIT_FAILED', 'git was not found on PATH.', { hint: 'Install git (2.28 or newer).' });
  }
  const exitCode = result.exitCode ?? -1;
  const out = { stdout: String(result.stdout), stderr: String(result.stderr), exitCode };
  if (exitCode !== 0 && !(options.okExitCodes ?? []).includes(exitCode)) throw gitError(cwd, args, out);
  return out;
}

/** Runs git and returns its stdout without the final newline. */
export async function gitOutput(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  return (await runGit(cwd, args, options)).stdout.replace(/\n$/, '');
}

function gitError(cwd: string, args: readonly string[], result: GitResult): BlueError {
  const stderr = redactSecrets(result.stderr.trim() || result.stdout.trim());
  const command = redactSecrets(`git ${args.join(' ')}`);
  if (/please tell me who you are|empty ident name|unable to auto-detect email/i.test(stderr)) {
    return new BlueError('GIT_IDENTITY', 'git does not know who you are, so Blue cannot commit.', {
      hint: 'Run `git config --global user.name "Your Name"` and `git config --global user.email you@example.com`.',
    });
  }
  if (/not a git repository/i.test(stderr)) {
    return new BlueError('NOT_A_REPO', `${cwd} is not inside a git repository.`, {
      hint: 'Run the command inside a git repository (or pass --cwd).',
    });
  }
  return new BlueError('GIT_FAILED', `${command} failed (exit ${result.exitCode}) in ${cwd}: ${stderr.split('\n').slice(-3).join(' | ')}`, {
    hint: 'Fix what git reported, then run the command again.',
  });
}
