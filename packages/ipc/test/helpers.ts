import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { tempDir } from '@blue/testkit';
import { ensureRealmDir, type IpcLogEntry, type IpcRequest, type SessionRecord } from '@blue/ipc';

export const PEER_SCRIPT = fileURLToPath(new URL('./fixtures/peer.mjs', import.meta.url));

/** A realm runtime folder under a fresh, short temp root (socket paths stay far below 103 bytes). */
export async function realmRuntime(): Promise<{ root: string; runtimeDir: string; realmDir: string }> {
  const root = await tempDir('bi-');
  const runtimeDir = join(root, 'run');
  const realmDir = await ensureRealmDir(runtimeDir, { name: 'letemcook', path: join(root, 'realm') });
  return { root, runtimeDir, realmDir };
}

/** Polls `condition` every 10 ms until it holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A log callback that keeps what it is given. */
export function logSink(): { log: (entry: IpcLogEntry) => void; entries: IpcLogEntry[] } {
  const entries: IpcLogEntry[] = [];
  return { log: (entry) => entries.push(entry), entries };
}

export interface Ready {
  record: SessionRecord;
  /** Time the peer took to listen and register, in ms. */
  registerMs: number;
  /** When it finished, as epoch ms (performance.timeOrigin + now). */
  at: number;
}

export interface Peer {
  child: ChildProcessWithoutNullStreams;
  /** Valid once the peer is ready (spawnPeer resolves after that, unless `waitGo`). */
  record: SessionRecord;
  ready: Promise<Ready>;
  received: IpcRequest[];
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  /** With `waitGo`: lets the peer start its session; resolves when it is registered. */
  go(): Promise<Ready>;
  /** Waits until the peer has received a message matching `match`. */
  waitForMessage(match: (m: IpcRequest) => boolean, timeoutMs?: number): Promise<IpcRequest>;
  /** Asks the peer to close its session and exit (stdin EOF), and waits for it. */
  stop(): Promise<number | string>;
}

export interface PeerOptions {
  watch?: string[];
  hung?: boolean;
  /** Resolve once the process has loaded @blue/ipc; it registers only on `go()`. */
  waitGo?: boolean;
  lifetimeMs?: number;
}

/** The environment for peers: ours, minus what slows every Node start (CA bundles) or leaks vitest. */
export function peerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(NODE_EXTRA_CA_CERTS|NODE_OPTIONS|NODE_PATH|VITEST.*)$/.test(key)) env[key] = value;
  }
  return env;
}

/**
 * A session in its own Node process (test/fixtures/peer.mjs, importing the built @blue/ipc),
 * resolved once it listens and is registered (or, with `waitGo`, once it has loaded). It exits on
 * its own at the end of its lifetime; when the test finishes it is asked to stop and, failing
 * that, killed.
 */
export function spawnPeer(realmDir: string, domain: string, options: PeerOptions = {}): Promise<Peer> {
  const args = [PEER_SCRIPT, realmDir, domain, '--lifetime', String(options.lifetimeMs ?? 20_000)];
  for (const watch of options.watch ?? []) args.push('--watch', watch);
  if (options.hung) args.push('--hung');
  if (options.waitGo) args.push('--wait-go');
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: peerEnv() });
  const exited = new Promise<number | string>((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? signal ?? -1)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  });
  const received: IpcRequest[] = [];
  const waiters = new Set<() => void>();
  let markReady: (ready: Ready) => void = () => undefined;
  const ready = new Promise<Ready>((resolveReady) => (markReady = resolveReady));
  const failed = exited.then((code) => {
    throw new Error(`peer exited (${code}) before it was ready: ${stderr}`);
  });
  failed.catch(() => undefined);
  const peer: Peer = {
    child,
    record: undefined as unknown as SessionRecord,
    ready,
    received,
    exited,
    go: () => {
      child.stdin.write('go\n');
      return Promise.race([ready, failed]);
    },
    waitForMessage: (match, timeoutMs = 5000) =>
      new Promise<IpcRequest>((resolveWait, rejectWait) => {
        const check = (): void => {
          const found = received.find(match);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolveWait(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          rejectWait(new Error(`peer ${peer.record.id} received no matching message in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: () => {
      child.stdin.end();
      return exited;
    },
  };
  let markLoaded: () => void = () => undefined;
  const loaded = new Promise<void>((resolveLoaded) => (markLoaded = resolveLoaded));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const value = JSON.parse(line) as { loaded?: boolean; ready?: SessionRecord; registerMs?: number; at?: number; received?: IpcRequest };
    if (value.loaded) markLoaded();
    if (value.ready) {
      peer.record = value.ready;
      markReady({ record: value.ready, registerMs: value.registerMs ?? 0, at: value.at ?? 0 });
    }
    if (value.received) {
      received.push(value.received);
      for (const wake of waiters) wake();
    }
  });
  return Promise.race([options.waitGo ? loaded : ready, failed]).then(() => peer);
}
