// N concurrent session registrations: a few child processes (modules loaded beforehand) are told
// at once to start their share of N sessions (@blue/ipc startSession, as blue-mcp registers:
// socket first, then the record), all concurrently. Time: from the word go to the last child's
// last registration. Lost: sessions that failed to register or that `listSessions` (with socket
// probes, as `blue realm sessions` lists them) does not find afterwards. Repeated for a few rounds.
import process from 'node:process';
import { spread, startHosts, stopHosts } from './lib/hosts.mjs';
import { loadPackage } from './lib/paths.mjs';

export const figures = [
  {
    id: 'registrations',
    figure: (size) => `${size.registrations} concurrent session registrations`,
    baseline: '—',
    budget: { kind: 'registrations', maxMs: 2000 },
  },
];

export async function measure(ctx) {
  const { ws, size } = ctx;
  const ipc = await loadPackage('ipc');
  const realmDir = await ipc.ensureRealmDir(ws.runtimeDir, { name: 'bench-register', path: ws.dir('bench-register') });
  const children = await startHosts(ws, Math.max(1, Math.min(4, size.registrations)));
  try {
    const times = [];
    let lost = 0;
    const problems = [];
    for (let r = 0; r < size.warmup + size.registrationRounds; r++) {
      const domains = Array.from({ length: size.registrations }, (_, i) => `r${r}-d${String(i).padStart(3, '0')}`);
      const shares = spread(domains, children.length);
      const t0 = process.hrtime.bigint();
      const answers = await Promise.all(children.map((h, k) => h.send('register', { realmDir, domains: shares[k] })));
      const ms = Math.max(...answers.map((a) => Number(BigInt(a.done) - t0) / 1e6));
      const listed = await ipc.listSessions(realmDir, { probe: true });
      const found = new Set(listed.map((s) => s.domain));
      const missing = domains.filter((d) => !found.has(d));
      if (r >= size.warmup) {
        times.push(ms);
        lost += missing.length;
      }
      for (const a of answers) problems.push(...a.errors);
      if (missing.length > 0 && problems.length === 0) problems.push(`round ${r}: not listed: ${missing.slice(0, 5).join(', ')}`);
      await Promise.all(children.map((h) => h.send('close')));
      const left = await ipc.listSessions(realmDir);
      if (left.length > 0) throw new Error(`${left.length} sessions still registered after closing round ${r}`);
    }
    return {
      registrations: {
        measured: times,
        lost,
        details: [`${children.length} child processes, ${size.registrationRounds} rounds (+${size.warmup} warm-up)${problems.length > 0 ? `; problems: ${problems.slice(0, 3).join('; ')}` : ''}`],
      },
    };
  } finally {
    await stopHosts(children);
  }
}
