// Running and timing processes: every figure of a command is the wall time from spawn to exit
// (the 'close' event, output drained), measured the same way for Blue and for its baseline.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { BLUE_BIN } from './paths.mjs';

export class CommandFailed extends Error {}

/**
 * Runs `command args` in `cwd` with the workspace's environment (or `env`), tracked by the
 * workspace so it is killed at cleanup; resolves {ms, code, stdout, stderr}. Rejects when the
 * exit code is not `expect` (default 0; null accepts any) or after `timeoutMs` (default 5 min).
 */
export function run(ws, command, args, { cwd, env = ws.env, expect = 0, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = ws.track(spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      const shown = `${command === process.execPath ? 'node' : command} ${args.join(' ')}`;
      if (signal !== null) return reject(new CommandFailed(`${shown} (in ${cwd}) was killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${timeoutMs} ms?)` : ''}`));
      if (expect !== null && code !== expect) {
        return reject(new CommandFailed(`${shown} (in ${cwd}) exited ${code}, expected ${expect}: ${(stderr || stdout).trim().slice(0, 800)}`));
      }
      resolve({ ms, code, stdout, stderr });
    });
  });
}

/** The built `blue` CLI with `args`, timed. */
export function blue(ws, args, options) {
  return run(ws, process.execPath, [BLUE_BIN, ...args], options);
}

/** `blue ... --json`, timed, with its stdout parsed. */
export async function blueJson(ws, args, options) {
  const result = await blue(ws, [...args, '--json'], options);
  try {
    return { ...result, json: JSON.parse(result.stdout) };
  } catch {
    throw new CommandFailed(`blue ${args.join(' ')} --json did not print JSON: ${result.stdout.slice(0, 400)} ${result.stderr.slice(0, 400)}`);
  }
}

/** git, timed (asynchronous: for the baselines, measured exactly like Blue's commands). */
export function git(ws, cwd, args, options = {}) {
  return run(ws, 'git', args, { cwd, ...options });
}

/** True when `command` can be run (e.g. `rg --version`). */
export async function available(ws, command, args = ['--version']) {
  try {
    await run(ws, command, args, { cwd: ws.root, timeoutMs: 10_000 });
    return true;
  } catch {
    return false;
  }
}
