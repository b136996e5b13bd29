import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlueError, envNumber, losslessUtf8, redactSecrets } from '@blue/core';

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
  /** Stop git after this long (SIGKILL); it then fails like any git failure, with "timed out after N ms". */
  timeoutMs?: number;
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
 *
 * Spawned with node:child_process directly: Blue starts hundreds of short git processes for a
 * realm-wide command, and each spawn costs the single Node thread (execa added ~1 ms per process
 * on top of the fork itself, and 100 modules to load).
 */
export async function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  return settleGit(cwd, args, options);
}

/** The environment git (or a shell starting git) runs with: `options.env` or this process's, made quiet. */
export function gitEnv(options: GitOptions): GitEnv {
  return { ...(options.env ?? process.env), ...QUIET_ENV };
}

/**
 * runGit's answer for one git command: `first`, a run already made elsewhere (runGitMany), or a
 * fresh one; then the same retries while git's own lock files are held, and the same errors.
 */
export async function settleGit(cwd: string, args: readonly string[], options: GitRunOptions, first?: GitResult): Promise<GitResult> {
  // A run made elsewhere that succeeded is the answer (runGitMany settles fifty at once: no copy of the environment each).
  if (first !== undefined && succeeded(first, options)) return first;
  const env = gitEnv(options);
  const deadline = Date.now() + lockWaitMs(env);
  for (let attempt = 1; ; attempt++) {
    const out = attempt === 1 && first !== undefined ? first : await spawnGit(cwd, args, env, options.input ?? '', options.timeoutMs);
    if (succeeded(out, options)) return out;
    // Another git process holds one of git's own lock files: git changed nothing, so wait and run
    // it again, as long as Blue waits for its own locks.
    const lock = heldGitLock(out.stderr);
    if (lock === undefined) throw gitError(cwd, args, out);
    if (Date.now() >= deadline) throw gitLockError(cwd, args, lock, out);
    await sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random() / 2));
  }
}

/** Exit 0, or one of the exit codes the caller takes as an answer. */
function succeeded(out: GitResult, options: GitRunOptions): boolean {
  return out.exitCode === 0 || (options.okExitCodes ?? []).includes(out.exitCode);
}

/** How long to wait for git's own lock files: BLUE_LOCK_TIMEOUT_MS (as Blue's locks), else 30 s. */
function lockWaitMs(env: GitEnv): number {
  return envNumber(env, 'BLUE_LOCK_TIMEOUT_MS', 30_000);
}

/** The lock file git could not create because another git process holds it, from git's message. */
function heldGitLock(stderr: string): string | undefined {
  return /Unable to create '([^']+\.lock)': File exists/.exec(stderr)?.[1] ?? /cannot lock ref '[^']+': Unable to create '([^']+\.lock)'/.exec(stderr)?.[1];
}

/** One git process, its output collected; rejects only when git cannot be started at all. */
function spawnGit(cwd: string, args: readonly string[], env: GitEnv, input: string, timeoutMs: number | undefined): Promise<GitResult> {
  return new Promise<GitResult>((resolvePromise, reject) => {
    let child;
    try {
      // No input: stdin is /dev/null, which git reads as an empty stdin, like a closed pipe.
      child = spawn('git', args, { cwd, env, stdio: [input === '' ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (err) {
      reject(unusableCwd(cwd, (err as { code?: unknown }).code) ?? cannotRun(err));
      return;
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: (Error & { code?: unknown }) | undefined;
    let settled = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      failure ??= new Error(`git timed out after ${timeoutMs} ms`);
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      const unusable = unusableCwd(cwd, failure?.code);
      if (unusable !== undefined) {
        reject(unusable);
        return;
      }
      // ENOENT: no git on PATH, or no folder to start it in.
      if (failure?.code === 'ENOENT') {
        reject(existsSync(cwd)
          ? new BlueError('GIT_FAILED', 'git was not found on PATH.', { hint: 'Install git (2.28 or newer).' })
          : new BlueError('FILE_NOT_FOUND', `The folder ${cwd} does not exist.`, { hint: 'Check the folder blue acts in (--cwd, or the MCP tool\'s cwd).' }));
        return;
      }
      const text = Buffer.concat(stderr).toString('utf8');
      resolvePromise({
        // Lossless: a file name that is not UTF-8 keeps its bytes (see losslessUtf8), so it can be opened.
        stdout: losslessUtf8(Buffer.concat(stdout)),
        stderr: failure === undefined ? text : `${text}${failure.message}\n`,
        exitCode: failure === undefined ? (code ?? -1) : -1,
      });
    };
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => {
      failure ??= err;
      // Not started at all (no pid): there may be no 'close' to wait for.
      if (child.pid === undefined) finish(null);
    });
    child.on('close', finish);
    if (child.stdin !== null) {
      // git may exit before reading its input (e.g. a refused commit); that is its answer, not ours.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** git bound to one environment, so callers stop repacking `{ env }` at every call. */
export interface BoundGit {
  /** The options every function of this package takes, for this environment. */
  readonly options: GitOptions;
  run(cwd: string, args: readonly string[], options?: Omit<GitRunOptions, 'env'>): Promise<GitResult>;
  output(cwd: string, args: readonly string[], options?: Omit<GitRunOptions, 'env'>): Promise<string>;
}

/** A git runner bound to `env` (a use case's context holds one). */
export function bindGit(env: GitEnv): BoundGit {
  const options: GitOptions = { env };
  return {
    options,
    run: (cwd, args, more = {}) => runGit(cwd, args, { ...more, env }),
    output: (cwd, args, more = {}) => gitOutput(cwd, args, { ...more, env }),
  };
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
  return new BlueError('GIT_FAILED', `${command} failed (exit ${result.exitCode}) in ${cwd}: ${messageLines(stderr)}`, {
    hint: 'Fix what git reported, then run the command again.',
  });
}

/**
 * The error for a folder git cannot be started in (the spawn's chdir failed): a symlink loop, a
 * file, a folder without search permission. Undefined for other failures (a missing git is ENOENT).
 */
function unusableCwd(cwd: string, code: unknown): BlueError | undefined {
  if (code === 'ENOTDIR') return new BlueError('NOT_A_DIRECTORY', `${cwd} is not a folder (a file is on its path), so Blue cannot act in it.`, { hint: 'Pass a folder with --cwd (the MCP tool\'s cwd), or run blue from one.' });
  const why = code === 'ELOOP' ? 'its path loops through symlinks (ELOOP)' : code === 'EACCES' || code === 'EPERM' ? `you may not enter it (${code})` : undefined;
  if (why === undefined) return undefined;
  return new BlueError('CWD_UNUSABLE', `The folder ${cwd} cannot be used: ${why}.`, { hint: 'Run blue from a folder you can enter, or pass one with --cwd (the MCP tool\'s cwd); `cd` into it in a shell shows the same problem.' });
}

function gitLockError(cwd: string, args: readonly string[], lock: string, result: GitResult): BlueError {
  const command = redactSecrets(`git ${args.join(' ')}`);
  return new BlueError('GIT_FAILED', `${command} failed in ${cwd}: another git process kept holding ${lock} (${messageLines(redactSecrets(result.stderr.trim()))})`, {
    hint: `Wait for the other git process to finish, then run the command again (or raise BLUE_LOCK_TIMEOUT_MS). If no git process is running there, a crashed one left ${lock} behind: remove it.`,
  });
}

/** git's message, whole sentences kept: every line but blank ones and hints, at most the last 20. */
function messageLines(stderr: string): string {
  return stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('hint:')).slice(-20).join(' ');
}

function cannotRun(err: unknown): BlueError {
  return new BlueError('GIT_FAILED', `Could not run git: ${(err as Error).message}`, {
    hint: 'Install git (2.28 or newer) and make sure it is on your PATH.',
    cause: err,
  });
}
