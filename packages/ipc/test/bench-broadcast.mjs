// Measures @blue/ipc against the live-sessions budgets (not a test; run after `pnpm build`):
//   node packages/ipc/test/bench-broadcast.mjs [sessions=100] [rounds=200] [processes=sessions]
// Starts N sessions in P Node processes (test/fixtures/peer.mjs; by default one process per
// session, as with one blue-mcp per agent), registering all at once, then broadcasts export-changed to all of them, connect-per-message and over persistent
// connections, and prints a table: figure, budget, measured.
import { spawn } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { fileURLToPath, URL } from 'node:url';
import { broadcastExportChanged, ConnectionPool, ensureRealmDir, listSessions } from '@blue/ipc';

const sessionsWanted = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 200);
const processes = Number(process.argv[4] ?? sessionsWanted);
const perProcess = Math.ceil(sessionsWanted / processes);
const peerScript = fileURLToPath(new URL('./fixtures/peer.mjs', import.meta.url));
const root = await realpath(await mkdtemp(join(tmpdir(), 'bb-')));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_EXTRA_CA_CERTS|NODE_OPTIONS)$/.test(k)));
const children = [];

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const ms = (v) => `${v.toFixed(1)} ms`;
const rows = [];

try {
  const realmDir = await ensureRealmDir(join(root, 'run'), { name: 'bench', path: root });
  // 1. N processes load @blue/ipc, then all listen + register at the same moment.
  const peers = await Promise.all(
    Array.from({ length: processes }, (_, i) => {
      const args = [peerScript, realmDir, i % 2 ? 'fungal-image-analysis' : 'billing', '--watch', 'aperture:required-s3-permissions', '--wait-go', '--quiet', '--count', String(perProcess), '--lifetime', '600000'];
      const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      const lines = createInterface({ input: child.stdout });
      const readyLines = [];
      let markReady;
      const ready = new Promise((resolve) => (markReady = resolve));
      return new Promise((resolveLoaded) =>
        lines.on('line', (line) => {
          const value = JSON.parse(line);
          if (value.loaded) resolveLoaded({ child, ready });
          if (value.ready) readyLines.push(value);
          if (readyLines.length === perProcess) markReady(readyLines);
        }),
      );
    }),
  );
  const go = performance.now();
  for (const peer of peers) peer.child.stdin.write('go\n');
  const ready = (await Promise.all(peers.map((p) => p.ready))).flat();
  const registerWall = performance.now() - go;
  const registerEach = ready.map((r) => r.registerMs);
  rows.push([`${ready.length} sessions in ${processes} processes, on ${availableParallelism()} CPUs`, '—', '']);
  rows.push([`${ready.length} concurrent registrations (go -> last registered)`, '—', ms(registerWall)]);
  rows.push(['one registration (listen + atomic write), p50 / p99', '—', `${ms(quantile(registerEach, 0.5))} / ${ms(quantile(registerEach, 0.99))}`]);

  const listTimes = [];
  let sessions = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    sessions = await listSessions(realmDir);
    listTimes.push(performance.now() - t);
  }
  if (sessions.length !== perProcess * processes) throw new Error(`listed ${sessions.length} sessions`);
  rows.push([`listSessions (${sessionsWanted} records), p50 / p99`, '—', `${ms(quantile(listTimes, 0.5))} / ${ms(quantile(listTimes, 0.99))}`]);

  const event = { from: 'aperture', export: 'required-s3-permissions', old_version: '1.0.0', new_version: '1.1.0', changes: ['+ training-metrics/experiments/*'], breaking: false };
  const measure = async (label, options) => {
    const times = [];
    for (let i = 0; i < rounds + 10; i++) {
      const t = performance.now();
      const deliveries = await broadcastExportChanged(realmDir, event, { sessions, timeoutMs: 1000, ...options });
      const elapsed = performance.now() - t;
      if (deliveries.some((d) => !d.delivered)) throw new Error(`${label}: ${deliveries.find((d) => !d.delivered).error}`);
      if (i >= 10) times.push(elapsed); // the first rounds warm up (JIT, and the pool connects)
    }
    rows.push([`broadcast to ${sessionsWanted} sessions, ${label}, p50 / p99`, '10 ms / 40 ms', `${ms(quantile(times, 0.5))} / ${ms(quantile(times, 0.99))}`]);
  };
  await measure('connect per message', {});
  const pool = new ConnectionPool();
  await measure('persistent connections', { pool });
  pool.close();
  const cold = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await broadcastExportChanged(realmDir, event, { timeoutMs: 1000 });
    cold.push(performance.now() - t);
  }
  rows.push([`listSessions + broadcast (connect per message), p50 / p99`, '—', `${ms(quantile(cold, 0.5))} / ${ms(quantile(cold, 0.99))}`]);
} finally {
  for (const child of children) child.stdin.end();
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await rm(root, { recursive: true, force: true });
}

const widths = [0, 1, 2].map((i) => Math.max(...[['figure', 'budget', 'measured'], ...rows].map((r) => r[i].length)));
for (const row of [['figure', 'budget', 'measured'], ...rows]) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
