import { BlueError, redactSecrets } from '@blue/core';
import type { Env } from '../context.js';

/** Default time a `command` detector may take. */
export const DEFAULT_DETECT_TIMEOUT_MS = 10_000;
/** More output than this is not an export value. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface DetectCommandOptions {
  cwd: string;
  env: Env;
  timeoutMs?: number | undefined;
}

/**
 * Runs a `command` detector (argv, no shell) and returns its stdout. The command runs in its own
 * process group, so a timeout also stops what it started. Failures (not found, non-zero exit,
 * killed, timed out, too much output) are VALUE_INVALID naming the command, with its stderr
 * redacted.
 */
export async function runDetectCommand(command: readonly string[], options: DetectCommandOptions): Promise<string> {
  const [file, ...args] = command;
  const shown = redactSecrets(command.join(' '));
  if (file === undefined || file === '') throw invalid(shown, 'is empty', '');
  const { spawn } = await import('node:child_process');
  const timeoutMs = options.timeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS;
  return new Promise<string>((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let failure: BlueError | undefined;
    const stop = (error: BlueError): void => {
      failure ??= error;
      killGroup(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => stop(invalid(shown, `did not finish within ${timeoutMs} ms`, text(stderr))), timeoutMs);
    const collect = (chunks: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop(invalid(shown, `printed more than ${MAX_OUTPUT_BYTES} bytes`, ''));
      else chunks.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(invalid(shown, `could not be started (${err.message})`, '', err));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure !== undefined) reject(failure);
      else if (code !== 0) reject(invalid(shown, code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`, text(stderr)));
      else resolve(text(stdout));
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function text(chunks: readonly Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8');
}

/** The error of a failed detector: what happened, and the last lines of its stderr. */
export function invalid(shown: string, what: string, stderr: string, cause?: unknown): BlueError {
  const tail = redactSecrets(stderr.trim()).split('\n').slice(-5).join('\n').slice(-800);
  return new BlueError('VALUE_INVALID', `detect command \`${shown}\` ${what}${tail === '' ? '.' : `:\n${tail}`}`, {
    hint: `Run \`${shown}\` in the repository: it must print the export value as JSON on stdout and exit 0. Or declare a static \`value\` in .blue/exports.yaml.`,
    cause,
  });
}
