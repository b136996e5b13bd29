import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { bindGit, type BoundGit } from '@blue/git';
import { createGitHubClient, type GitHubClient } from '@blue/github';
import { checkpointHook, type Checkpoint } from './checkpoints.js';
import type { KeptRealmViews } from './store/kept-realm-views.js';

export type Env = Record<string, string | undefined>;

/** One step of long work, for a progress display. Use cases report; faces decide how to show. */
export interface ProgressEvent {
  /** What is being worked on, e.g. a domain name or "realm". */
  target: string;
  status: 'started' | 'ok' | 'skipped' | 'failed';
  message?: string;
}

export interface ProgressReporter {
  report(event: ProgressEvent): void;
}

/**
 * Everything a use case may touch, passed in: where it runs, its environment, the clock and a
 * progress sink. Use cases read no globals, so tests run them against temp dirs in-process.
 */
export interface BlueContext {
  /** Folder the command acts from (the CLI's --cwd, the MCP tool's cwd). */
  cwd: string;
  /** The whole environment for this call; git runs with exactly this. */
  env: Env;
  /** git bound to `env`: `ctx.git.output(dir, args)`, and `ctx.git.options` for @blue/git's functions. */
  git: BoundGit;
  /** BLUE_HOME: where the user's index lives. */
  home: string;
  now(): Date;
  progress: ProgressReporter;
  /** A GitHub client for this environment (API URL and token from `env`); GITHUB_AUTH without a token. */
  github(): Promise<GitHubClient>;
  /** Marks a named step (checkpoints.ts); does nothing unless a test asks to be killed there. */
  checkpoint(step: Checkpoint): void;
  /** A long-lived process's kept realm snapshots (blue-mcp); undefined in a one-shot process, which reads the realm each time. */
  kept?: KeptRealmViews;
}

export interface ContextOptions {
  cwd?: string;
  env?: Env;
  now?: () => Date;
  progress?: ProgressReporter;
  github?: () => Promise<GitHubClient>;
  checkpoint?: (step: Checkpoint) => void;
  kept?: KeptRealmViews;
}

export const SILENT_PROGRESS: ProgressReporter = { report: () => undefined };

/**
 * A context with defaults from this process: its cwd, its environment, the real clock. A
 * test-only BLUE_TEST_KILL_AT in `env` makes checkpoints kill the process (checkpoints.ts).
 */
export function createContext(options: ContextOptions = {}): BlueContext {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  return {
    cwd,
    env,
    git: bindGit(env),
    home: resolve(cwd, env.BLUE_HOME || join(homedir(), '.blue')),
    now: options.now ?? (() => new Date()),
    progress: options.progress ?? SILENT_PROGRESS,
    github: options.github ?? (() => createGitHubClient({ env })),
    checkpoint: options.checkpoint ?? checkpointHook(env),
    ...(options.kept === undefined ? {} : { kept: options.kept }),
  };
}
