// Live across machines (issue 20): the realm remote is the bus.
//
// live-notice: machine A (aperture, the workspace's BLUE_HOME and runtime folder) publishes with
// the real sync use case; machine B (its own BLUE_HOME, runtime folder and clones of the realm and
// of fungal-image-analysis) runs one session of fungal as blue-mcp runs it, with its realm watcher
// at BLUE_WATCH_INTERVAL=1. Each sample: from the moment A's sync returned (its push is on the
// remote) to the moment B's session read the export-changed message for that version (both
// clocks are process.hrtime, the machine's monotonic clock). No socket joins A and B.
//
// Baseline, same rounds: a plain poller, `git ls-remote` on the realm remote every interval
// (jittered alike) in a loop beside it; its sample runs from the same moment to the first look
// that saw the new tip. What Blue adds above it is the fetch, reading the realm, the notice.
//
// live-round-trips: N sessions of fungal on machine B (N = 1, 10, 100, in 4 host processes), each
// with its own watcher as every blue-mcp starts one. A `git` wrapper first on B's PATH logs every
// `ls-remote` and `fetch`; after the first look, the calls in a window of W intervals are counted
// (nothing is pushed meanwhile). Figure: ls-remote calls per interval, the worst of the three N.
// The watcher jitters each wait by ±15 %, so a window can hold slightly more looks than intervals.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { letemcook } from './fixtures/letemcook.mjs';
import { spread, startHosts, stopHosts } from './lib/hosts.mjs';
import { loadPackage } from './lib/paths.mjs';
import { gitSync } from './lib/workspace.mjs';
import { newPath } from './sync.mjs';

const INTERVAL_S = 1;

export const figures = [
  {
    id: 'live-notice',
    figure: (size) => `push on machine A → notice held by a session on machine B, BLUE_WATCH_INTERVAL=${INTERVAL_S}, ${size.liveRounds} publishes`,
    baseline: 'plain `git ls-remote` poller, same interval',
    budget: { kind: 'latency-p95', p50: INTERVAL_S * 1000 + 500, p95: INTERVAL_S * 1000 + 1500 },
  },
  {
    id: 'live-round-trips',
    figure: (size) => `realm remote round trips (ls-remote) per interval, ${size.liveSessions.join(' / ')} sessions on one machine`,
    baseline: '—',
    budget: { kind: 'at-most', max: 1.2, unit: 'per interval' },
  },
];

/** Machine B: its own home, runtime folder, clones, and a `git` on PATH that logs remote calls. */
function machineB(ws, scene) {
  const root = join(scene.root, 'machine-b');
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = join(root, 'git-calls.log');
  writeFileSync(log, '');
  const realGit = gitSync(ws, root, '--exec-path').trim();
  const wrapper = join(bin, 'git');
  writeFileSync(wrapper, `#!/bin/sh\ncase " $* " in *" ls-remote "*) echo ls-remote >> "${log}" ;; *" fetch "*) echo fetch >> "${log}" ;; esac\nexec "${join(realGit, 'git')}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  // The realm path hint of fungal's .blue/config.yaml (../realm-letemcook) finds B's own clone.
  gitSync(ws, root, 'clone', '--quiet', scene.realmRemote, join(root, 'realm-letemcook'));
  gitSync(ws, root, 'clone', '--quiet', scene.fungal.remote, join(root, 'fungal'));
  const env = { ...ws.env, PATH: `${bin}:${ws.env.PATH ?? ''}`, BLUE_HOME: join(root, 'home'), BLUE_RUNTIME_DIR: `${ws.runtimeDir}b`, BLUE_WATCH_INTERVAL: String(INTERVAL_S) };
  return { fungal: join(root, 'fungal'), env, calls: () => readFileSync(log, 'utf8').split('\n').filter((l) => l === 'ls-remote').length, fetches: () => readFileSync(log, 'utf8').split('\n').filter((l) => l === 'fetch').length };
}

export async function measure(ctx, ids) {
  const { ws, size } = ctx;
  const realm = await loadPackage('realm');
  const scene = await letemcook(ws, 'live');
  const b = machineB(ws, scene);
  const out = {};
  if (ids.includes('live-notice')) {
    const [host] = await startHosts(ws, 1);
    const poller = plainPoller(ws, scene.realmRemote);
    try {
      await host.send('watchers', { cwd: b.fungal, env: b.env, count: 1 });
      const latencies = [];
      const baseline = [];
      for (let i = 0; i < size.warmup + size.liveRounds; i++) {
        const file = `models/training/live_round_${i}.py`;
        writeFileSync(join(scene.aperture.dir, file), newPath(i, 'live'));
        gitSync(ws, scene.aperture.dir, 'add', file);
        gitSync(ws, scene.aperture.dir, 'commit', '--quiet', '-m', `Write bench/live-${i}`);
        const result = await realm.syncRealm(realm.createContext({ cwd: scene.aperture.dir, env: ws.env }));
        const pushed = process.hrtime.bigint();
        const version = result.exports.find((e) => e.to_version !== undefined)?.to_version;
        if (version === undefined) throw new Error('the sync published nothing');
        const tip = result.commit;
        const [arrival, polled] = await Promise.all([waitFor(host, version, INTERVAL_S * 10_000), poller.seen(tip, INTERVAL_S * 10_000)]);
        if (i >= size.warmup) {
          latencies.push(Number(BigInt(arrival) - pushed) / 1e6);
          baseline.push(Number(polled - pushed) / 1e6);
        }
        // Jitter between publishes, so pushes do not fall in step with the watcher's looks.
        await delay(Math.random() * INTERVAL_S * 1000);
      }
      out['live-notice'] = { measured: latencies, baseline, details: [`the session on B got each version; ${size.liveRounds} publishes (+${size.warmup} warm-up), a random pause of up to one interval between them`] };
    } finally {
      poller.stop();
      await stopHosts([host]);
    }
  }
  if (ids.includes('live-round-trips')) {
    const perInterval = [];
    const details = [];
    for (const n of size.liveSessions) {
      const hosts = await startHosts(ws, Math.min(4, n));
      try {
        await Promise.all(spread(Array.from({ length: n }, (_, i) => i), hosts.length).map((share, k) => hosts[k].send('watchers', { cwd: b.fungal, env: b.env, count: share.length })));
        await delay(INTERVAL_S * 1500); // the first look, made one interval after the sessions started
        const [calls0, fetches0] = [b.calls(), b.fetches()];
        await delay(size.liveWindow * INTERVAL_S * 1000);
        const calls = b.calls() - calls0;
        perInterval.push(calls / size.liveWindow);
        details.push(`${n} session(s): ${calls} ls-remote and ${b.fetches() - fetches0} fetch in ${size.liveWindow} intervals`);
      } finally {
        await stopHosts(hosts);
      }
    }
    out['live-round-trips'] = { measured: perInterval, details };
  }
  return out;
}

/** The arrival time (ns, as a string) of `version` at the host's session. */
async function waitFor(host, version, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const seen = [];
  while (Date.now() < deadline) {
    const { arrivals } = await host.send('collect');
    seen.push(...arrivals);
    const hit = seen.find((a) => a.round === version);
    if (hit !== undefined) return hit.t;
    await delay(20);
  }
  throw new Error(`machine B heard nothing of ${version} within ${timeoutMs} ms`);
}

/** A plain `git ls-remote` loop on `remote`, every interval ±15 %: when did it first see a tip. */
function plainPoller(ws, remote) {
  const run = promisify(execFile);
  const seenAt = new Map();
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const { stdout } = await run('git', ['ls-remote', remote, 'refs/heads/main'], { env: ws.env }).catch(() => ({ stdout: '' }));
      const tip = stdout.split('\t')[0]?.trim();
      if (tip && !seenAt.has(tip)) seenAt.set(tip, process.hrtime.bigint());
      await delay(INTERVAL_S * 1000 * (0.85 + Math.random() * 0.3));
    }
  })();
  return {
    async seen(tip, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!seenAt.has(tip)) {
        if (Date.now() > deadline) throw new Error(`the plain poller never saw ${tip}`);
        await delay(10);
      }
      return seenAt.get(tip);
    },
    stop() {
      stopped = true;
    },
  };
}
