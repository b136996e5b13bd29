import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { BlueError, losslessUtf8, redactSecrets } from '@blue/core';
import { gitEnv, runGit, settleGit, type GitEnv, type GitOptions, type GitResult } from './run.js';

/** One git command of runGitMany: `git <args>` in `cwd`. */
export interface GitJob {
  cwd: string;
  args: readonly string[];
}

export interface RunGitManyOptions extends GitOptions {
  /** How many of the commands run at once (at least 1). */
  parallel: number;
}

/**
 * The shell that starts the commands: `parallel` lanes (subshells), lane L running the jobs whose
 * index is L modulo the number of lanes, one after another. Every value comes in as a positional
 * parameter (`$1` the temp folder, `$2` the lanes, then per job: its word count, its cwd, its
 * arguments) and is only ever expanded inside double quotes: `eval` sees `"${12}"`, never the
 * value, so no branch name or path is ever read as shell code. Each job's stdout and stderr go
 * to `<temp>/<index>.out|.err`, and `<index> <exit code>` to stdout when it ends. Before each
 * job a lane writes a `.` line: once the Node process that started it is gone, that write into
 * the closed pipe ends the lane (SIGPIPE, or EPIPE), so a killed `blue` does not leave git
 * commands starting after it. Its parent's pid cannot tell: a dead parent not yet reaped still
 * answers `kill -0`. The shell then finds the pipe closed and removes the temp folder itself (as
 * it does when it is interrupted).
 */
const LANES = `d=$1 lanes=$2
shift 2
trap 'rm -rf "$d"; exit 129' HUP INT TERM
lane=0
while [ "$lane" -lt "$lanes" ]; do
  (
    k=1 i=0
    while [ "$k" -le "$#" ]; do
      eval "n=\\\${$k}"
      if [ $((i % lanes)) -eq "$lane" ]; then
        echo . || exit 0
        words='' j=1
        while [ "$j" -le "$n" ]; do words="$words \\"\\\${$((k + j))}\\""; j=$((j + 1)); done
        eval "git -C$words" >"$d/$i.out" 2>"$d/$i.err" </dev/null
        echo "$i $?"
      fi
      k=$((k + n + 1)) i=$((i + 1))
    done
  ) &
  lane=$((lane + 1))
done
wait
(echo .) 2>/dev/null || rm -rf "$d"
`;

/**
 * Runs many git commands, `parallel` at a time, and answers each as runGit would: the same
 * result, the same errors with git's message whole, the same retries while another git process
 * holds one of git's lock files (a retry runs from this process). The commands are started by one
 * small `/bin/sh` instead of this process: starting a process from Node costs its one thread a
 * few milliseconds each (libuv waits for the child's exec, longer the bigger and busier the
 * process), so fifty `git worktree add` would start one at a time whatever the pool size.
 * No stdin and no timeout; on Windows, or for a single command, each is started from Node.
 * Returns one promise per job, in the jobs' order, each settled when its command is answered.
 */
export function runGitMany(jobs: readonly GitJob[], options: RunGitManyOptions): Array<Promise<GitResult>> {
  const parallel = Math.max(1, Math.floor(options.parallel));
  if (jobs.length < 2 || process.platform === 'win32') return inLanes(jobs, parallel, options);
  const env = gitEnv(options);
  const words = jobs.flatMap((job) => [String(job.args.length + 1), resolve(job.cwd), ...job.args]);
  let temp: string;
  let shell: ChildProcessByStdio<null, Readable, null>;
  try {
    temp = mkdtempSync(join(tmpDirOf(env), 'blue-git-'));
  } catch {
    // No temp folder to be had (TMPDIR missing or read-only): each command from here, as runGit.
    return inLanes(jobs, parallel, options);
  }
  try {
    shell = spawn('/bin/sh', ['-c', LANES, 'sh', temp, String(Math.min(parallel, jobs.length)), ...words], { cwd: '/', env, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
  } catch {
    // Arguments no process can be given (a NUL byte): each command from here, failing as runGit's does.
    rmSync(temp, { recursive: true, force: true });
    return inLanes(jobs, parallel, options);
  }
  const answers = jobs.map(() => deferred<GitResult>());
  const settled = new Set<number>();
  const answer = (index: number, result: Promise<GitResult>): void => {
    settled.add(index);
    (answers[index] as Deferred<GitResult>).settle(result);
  };
  let pending = '';
  shell.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      // `<index> <exit code>`; the lanes' `.` lines only test the pipe.
      const done = /^(\d+) (\d+)$/.exec(line);
      const index = Number(done?.[1]);
      const job = jobs[index];
      if (done === null || job === undefined || settled.has(index)) continue;
      let result: GitResult;
      try {
        result = readResult(temp, index, Number(done[2]));
      } catch (err) {
        answer(index, Promise.reject(stopped(job, `its output could not be read: ${(err as Error).message}`)));
        continue;
      }
      answer(index, fromShell(job, result, options));
    }
    if (settled.size === jobs.length) rmSync(temp, { recursive: true, force: true });
  });
  let failedToStart: Error | undefined;
  shell.on('error', (err) => (failedToStart = err));
  shell.on('close', (code, signal) => {
    rmSync(temp, { recursive: true, force: true });
    jobs.forEach((job, index) => {
      if (settled.has(index)) return;
      // No shell at all: start the commands from here. A shell that stopped half-way: the
      // command may have run, so it is not run again; running blue again finds what it did.
      answer(index, failedToStart !== undefined ? runGit(job.cwd, job.args, options) : Promise.reject(stopped(job, `the shell starting it stopped (${signal ?? `exit ${code ?? '?'}`})`)));
    });
  });
  return answers.map((a) => a.promise);
}

/** GIT_FAILED for a command whose answer never came back whole (it may have run). */
function stopped(job: GitJob, why: string): BlueError {
  return new BlueError('GIT_FAILED', `${redactSecrets(`git ${job.args.join(' ')}`)} in ${job.cwd} did not report back: ${why}.`, {
    hint: 'Run the command again: it finds what was done.',
  });
}

/** A job's answer from the shell: runGit's own when git could not even enter the folder (its errors say why). */
function fromShell(job: GitJob, result: GitResult, options: GitOptions): Promise<GitResult> {
  if (result.exitCode !== 0 && result.stderr.startsWith('fatal: cannot change to ')) return runGit(job.cwd, job.args, options);
  return settleGit(job.cwd, job.args, options, result);
}

function readResult(temp: string, index: number, exitCode: number): GitResult {
  const read = (ext: string): Buffer => readFileSync(join(temp, `${index}.${ext}`));
  return { stdout: losslessUtf8(read('out')), stderr: read('err').toString('utf8'), exitCode };
}

/** Each command from this process, `parallel` lanes of them one after another. */
function inLanes(jobs: readonly GitJob[], parallel: number, options: GitOptions): Array<Promise<GitResult>> {
  const lanes: Array<Promise<unknown>> = Array.from({ length: parallel }, () => Promise.resolve());
  return jobs.map((job, i) => {
    const run = (lanes[i % parallel] as Promise<unknown>).then(() => runGit(job.cwd, job.args, options));
    lanes[i % parallel] = run.catch(() => undefined);
    return run;
  });
}

/** The temp folder of `env` (as os.tmpdir() computes it, from the given environment). */
function tmpDirOf(env: GitEnv): string {
  const dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

interface Deferred<T> {
  promise: Promise<T>;
  settle(value: Promise<T>): void;
}

function deferred<T>(): Deferred<T> {
  let settle: (value: Promise<T>) => void = () => undefined;
  const promise = new Promise<T>((resolvePromise) => {
    settle = resolvePromise;
  });
  return { promise, settle };
}
