import { spawn } from 'node:child_process';
import type { Sandbox } from './temp.js';
import { BLUE_BIN } from './workspace.js';

/** A blue command that runs longer is killed (exit null): a hang, or a machine far busier than CI's (tests time out at 60 s). */
const RUN_TIMEOUT_MS = 40_000;

export interface BlueRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs); throws with the output when it is not JSON. */
  json<T = Record<string, unknown>>(): T;
}

export interface RunBlueOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** Run as another user (only when the tests run as root), e.g. to meet a folder it may not write. */
  uid?: number;
  gid?: number;
}

/** Runs the built `blue` CLI as a real process with the sandbox's environment. */
export function runBlue(box: Sandbox, args: readonly string[], options: RunBlueOptions = {}): Promise<BlueRun> {
  const env: Record<string, string> = { ...box.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const identity = options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid };
    const child = spawn(process.execPath, [BLUE_BIN, ...args], { cwd: options.cwd ?? box.root, env, stdio: 'pipe', ...identity });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`blue ${args.join(' ')} did not print JSON.\nstdout: ${stdout}\nstderr: ${stderr}`);
          }
        },
      });
    });
    child.stdin.end(options.input ?? '');
  });
}
