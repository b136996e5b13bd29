// An export-changed broadcast reaching N live sessions: N sessions (started with @blue/ipc's
// startSession, as blue-mcp starts one, each in its own consumer domain watching the export)
// hosted by a few child processes; this process announces a publish exactly as `blue realm
// sync` does (notifyExportChanged: a notice in every importer's inbox, then the message to every
// session). Each session's latency is from the start of the call to the moment its server read
// the message, both read from the system's monotonic clock (process.hrtime, shared by all
// processes). Baseline, for the table only: raw node:net Unix-socket echo servers in the same
// children, each sent one line on a fresh connection, all at once, timed the same way.
import { createConnection } from 'node:net';
import { join } from 'node:path';
import process from 'node:process';
import { spread, startHosts, stopHosts } from './lib/hosts.mjs';
import { loadPackage } from './lib/paths.mjs';
import { fmtMs, percentile } from './lib/stats.mjs';

export const figures = [
  {
    id: 'broadcast',
    figure: (size) => `export-changed broadcast reaching ${size.sessions} live sessions, p50 / p99`,
    baseline: 'raw Node Unix-socket echo, same run (for the table)',
    budget: { kind: 'latency', p50: 10, p99: 40 },
  },
];

const FROM = 'aperture';
const EXPORT = 'required-s3-permissions';
const hosts = (n) => Math.max(1, Math.min(4, n));
const elapsedMs = (t0, t) => Number(BigInt(t) - t0) / 1e6;

/** Arrivals of `round` collected from every host; exactly `expected` of them, else an error. */
async function arrivalsOf(children, round, expected, t0) {
  const answers = await Promise.all(children.map((h) => h.send('collect')));
  const arrived = answers.flatMap((a) => a.arrivals).filter((a) => a.round === round);
  if (arrived.length !== expected) throw new Error(`round ${round}: ${arrived.length} of ${expected} sessions got the message`);
  return arrived.map((a) => elapsedMs(t0, a.t));
}

/** One line to each socket, all at once, each on a fresh connection; resolves when every echo is back. */
function echoAll(paths, line) {
  return Promise.all(
    paths.map(
      (path) =>
        new Promise((resolve, reject) => {
          const socket = createConnection(path);
          let got = '';
          socket.setEncoding('utf8');
          socket.on('connect', () => socket.write(`${line}\n`));
          socket.on('data', (chunk) => {
            got += chunk;
            if (got.includes('\n')) {
              socket.destroy();
              resolve();
            }
          });
          socket.on('error', reject);
        }),
    ),
  );
}

export async function measure(ctx) {
  const { ws, size } = ctx;
  const ipc = await loadPackage('ipc');
  const realmDir = await ipc.ensureRealmDir(ws.runtimeDir, { name: 'bench-live', path: ws.dir('bench-live') });
  const domains = Array.from({ length: size.sessions }, (_, i) => `c${String(i).padStart(3, '0')}`);
  const children = await startHosts(ws, hosts(size.sessions));
  try {
    const shares = spread(domains, children.length);
    await Promise.all(children.map((h, k) => h.send('sessions', { realmDir, domains: shares[k], watch: { from: FROM, contract: EXPORT } })));
    const listed = await ipc.listSessions(realmDir, { probe: true });
    if (listed.length !== size.sessions) throw new Error(`${listed.length} of ${size.sessions} sessions registered`);

    const notify = [];
    const deliverOnly = [];
    const notifyTotal = [];
    for (let r = 0; r < size.broadcastWarmup + size.broadcastRounds; r++) {
      const keep = r >= size.broadcastWarmup;
      // As `blue realm sync` announces a publish: inbox notices, then every session.
      const version = `1.${r + 1}.0`;
      const t0 = process.hrtime.bigint();
      const told = await ipc.notifyExportChanged(realmDir, { from: FROM, export: EXPORT, old_version: `1.${r}.0`, new_version: version, changes: [`+ area-${r}/* (write)`], breaking: false }, { importers: domains });
      const total = Number(process.hrtime.bigint() - t0) / 1e6;
      const missed = told.deliveries.filter((d) => !d.delivered);
      if (missed.length > 0) throw new Error(`${missed.length} deliveries failed: ${missed[0].error}`);
      const latencies = await arrivalsOf(children, version, size.sessions, t0);
      if (keep) {
        notify.push(...latencies);
        notifyTotal.push(total);
      }
      // The message alone (no inbox writes), for where the time goes.
      const only = `2.${r}.0`;
      const t1 = process.hrtime.bigint();
      await ipc.broadcastExportChanged(realmDir, { from: FROM, export: EXPORT, old_version: null, new_version: only, changes: [], breaking: false }, { importers: domains });
      const onlyLatencies = await arrivalsOf(children, only, size.sessions, t1);
      if (keep) deliverOnly.push(...onlyLatencies);
    }
    await Promise.all(children.map((h) => h.send('close')));

    // Baseline: raw echo servers in the same children.
    const echoDir = ws.dir('echo');
    await Promise.all(children.map((h, k) => h.send('echo', { dir: echoDir, prefix: `h${k}`, count: shares[k].length })));
    const paths = children.flatMap((_, k) => shares[k].map((__, i) => join(echoDir, `h${k}-${i}.sock`)));
    const echo = [];
    for (let r = 0; r < size.broadcastWarmup + size.broadcastRounds; r++) {
      const round = `echo-${r}`;
      const t0 = process.hrtime.bigint();
      await echoAll(paths, round);
      const latencies = await arrivalsOf(children, round, size.sessions, t0);
      if (r >= size.broadcastWarmup) echo.push(...latencies);
    }
    const p = (xs) => `p50 ${fmtMs(percentile(xs, 50))} / p99 ${fmtMs(percentile(xs, 99))}`;
    return {
      broadcast: {
        measured: notify,
        baseline: echo,
        details: [
          `${size.sessions} sessions in ${children.length} child processes, ${size.broadcastRounds} rounds (+${size.broadcastWarmup} warm-up)`,
          `whole notifyExportChanged call (inboxes + delivery + acks): median ${fmtMs(percentile(notifyTotal, 50))}`,
          `message alone (broadcastExportChanged, no inbox writes): ${p(deliverOnly)}`,
        ],
      },
    };
  } finally {
    await stopHosts(children);
  }
}
