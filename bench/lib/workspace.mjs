// The temp folder a benchmark run works in, its environment, and the guarantee that everything
// started in it stops and everything written in it is removed: at the end, on a failure, on
// Ctrl-C or SIGTERM.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { setTimeout as delay } from 'node:timers/promises';

/** Variables a benchmark never inherits: tokens, Blue settings of this machine, git redirections, profilers. */
const SCRUBBED = [
  'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GH_HOST',
  'BLUE_HOME', 'BLUE_RUNTIME_DIR', 'BLUE_GITHUB_API_URL', 'GITHUB_API_URL', 'XDG_RUNTIME_DIR', 'FORCE_COLOR',
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT',
  'NODE_OPTIONS',
  // The test suite's own check (every realm read twice, store/cache-check.ts): benchmarks time Blue as users run it.
  'BLUE_TEST_VERIFY_CACHE',
];

const GITCONFIG = `[user]
\tname = Blue Bench
\temail = bench@blue.example
[init]
\tdefaultBranch = main
[commit]
\tgpgSign = false
[tag]
\tgpgSign = false
[gc]
\tauto = 0
[maintenance]
\tauto = false
[protocol "file"]
\tallow = always
[advice]
\tdetachedHead = false
`;

/** The longest runtime folder we accept: sockets are <runtime>/<12 hex>/<12 hex>.sock, at most 103 bytes. */
const MAX_RUNTIME_DIR_BYTES = 60;

export class Workspace {
  constructor() {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), 'bb-')));
    this.extraDirs = [];
    let runtime = join(this.root, 'run');
    if (Buffer.byteLength(runtime) > MAX_RUNTIME_DIR_BYTES) {
      // A long TMPDIR: keep socket paths short with a second folder directly under /tmp.
      const short = realpathSync(mkdtempSync('/tmp/bb-'));
      this.extraDirs.push(short);
      runtime = join(short, 'run');
    }
    this.runtimeDir = runtime;
    const gitconfig = join(this.root, 'gitconfig');
    writeFileSync(gitconfig, GITCONFIG);
    const env = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !SCRUBBED.includes(key)) env[key] = value;
    }
    Object.assign(env, {
      BLUE_HOME: join(this.root, 'home'),
      BLUE_RUNTIME_DIR: runtime,
      GIT_CONFIG_GLOBAL: gitconfig,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Blue Bench',
      GIT_AUTHOR_EMAIL: 'bench@blue.example',
      GIT_COMMITTER_NAME: 'Blue Bench',
      GIT_COMMITTER_EMAIL: 'bench@blue.example',
      GIT_TERMINAL_PROMPT: '0',
      NO_COLOR: '1',
    });
    this.env = env;
    /** Child processes still running (spawned through lib/proc.mjs or track()). */
    this.children = new Set();
    /** Things to close at the end (servers, clients), last registered first. */
    this.closers = [];
    this.cleaned = false;
    /** The signal that interrupted the run, if one did: no further benchmark starts. */
    this.interrupted = undefined;
  }

  /** A folder under the workspace root (created). */
  dir(...parts) {
    const path = join(this.root, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  }

  /** Kills `child` at cleanup if it is still running then. */
  track(child) {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Runs `close` at cleanup (errors are reported, never thrown). */
  onCleanup(close) {
    this.closers.push(close);
  }

  /** Closes what was registered, kills remaining children and removes every folder. Safe to call twice. */
  async cleanup() {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const close of this.closers.reverse()) {
      try {
        await close();
      } catch (error) {
        process.stderr.write(`bench: cleanup step failed: ${error?.message ?? error}\n`);
      }
    }
    await this.killChildren();
    this.removeFolders();
  }

  async killChildren() {
    const running = [...this.children].filter((c) => c.exitCode === null && c.signalCode === null);
    for (const child of running) child.kill('SIGTERM');
    const deadline = Date.now() + 2000;
    while (running.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) {
      await delay(25);
    }
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** Synchronous, so it also works from an 'exit' handler. */
  removeFolders() {
    for (const dir of [this.root, ...this.extraDirs]) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch (error) {
        process.stderr.write(`bench: could not remove ${dir}: ${error.message}\n`);
      }
    }
  }

  /** Last resort on process exit: kill what still runs, remove the folders. */
  emergencyCleanup() {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.removeFolders();
  }
}

/**
 * A workspace whose cleanup also runs on SIGINT/SIGTERM (then the process exits 130/143) and,
 * synchronously, when the process exits any other way.
 */
export function createWorkspace() {
  const ws = new Workspace();
  const onSignal = (signal) => {
    ws.interrupted = signal;
    process.stderr.write(`\nbench: ${signal}, cleaning up ${ws.root}\n`);
    void ws.cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => ws.emergencyCleanup());
  return ws;
}

/** git in `cwd` with the workspace's environment, synchronously (setup steps); returns stdout. */
export function gitSync(ws, cwd, ...args) {
  const run = spawnSync('git', args, { cwd, env: ws.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd} (exit ${run.status}): ${run.stderr.trim()}`);
  return run.stdout;
}
