// Realm scale (issue 25): realms of N domains built with scaleRealm (one git fast-import). The
// commands run in d01's repo (a real member importing d00's export).
// - status-scale: `blue status --json` on the big realm ÷ the same on the small one (the cost of a
//   domain's status should follow its neighbourhood, not the realm).
// - check-scale: `blue realm check --json` on the big realm ÷ bench/lib/parse-realm.mjs, a plain
//   script parsing every realm YAML file (the floor of reading the whole realm).
// - scale-ulimit: on the huge realm, under `ulimit -n 256`: status, check, graph and sync all exit 0.
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { scaleRealm } from './fixtures/scale-realm.mjs';
import { interleaved } from './lib/measure.mjs';
import { startMcp } from './lib/mcp-client.mjs';
import { BLUE_BIN } from './lib/paths.mjs';
import { run } from './lib/proc.mjs';
import { fmtMs, summarize } from './lib/stats.mjs';

const PARSE_REALM = fileURLToPath(new URL('./lib/parse-realm.mjs', import.meta.url));

export const figures = [
  {
    id: 'status-scale',
    figure: (size) => `\`blue status --json\`, ${size.scaleDomains}-domain realm`,
    baseline: 'the same in a 10-domain realm',
    budget: { kind: 'ratio', max: 1.5 },
  },
  {
    id: 'check-scale',
    figure: (size) => `\`blue realm check\`, ${size.scaleDomains}-domain realm`,
    baseline: 'a Node script parsing every realm YAML file',
    budget: { kind: 'ratio', max: 2.0 },
  },
  {
    id: 'mcp-status-scale',
    figure: (size) => `\`blue_status\` through a warm \`blue-mcp\` (SDK client), ${size.scaleDomains}-domain realm, p50`,
    baseline: 'the same in a 10-domain realm (calls interleaved)',
    budget: { kind: 'ratio', max: 1.5 },
  },
  {
    id: 'scale-ulimit',
    figure: (size) => `${size.hugeDomains}-domain realm under \`ulimit -n 256\`: status, check, graph, sync`,
    baseline: 'each exits 0',
    budget: { kind: 'all-ok' },
  },
];

const COMMANDS = {
  status: ['status', '--json', '--offline'],
  check: ['realm', 'check', '--json', '--offline'],
  graph: ['realm', 'graph', '--format', 'mermaid', '--offline'],
  sync: ['realm', 'sync', '--json', '--no-notify'],
};

const blueIn = (ws, dir, args, expect = 0) => run(ws, process.execPath, [BLUE_BIN, ...args], { cwd: dir, expect });

/** The realm of `count` domains, built once per run (the ulimit figure's sync changes nothing in it). */
const realmOf = (ctx, count) => ctx.shared(`scale-${count}`, () => scaleRealm(ctx.ws, `scale-${count}`, count));

export async function measure(ctx, ids) {
  const { ws, size } = ctx;
  const outcomes = {};
  if (ids.includes('status-scale') || ids.includes('check-scale')) {
    const small = await realmOf(ctx, 10);
    const big = await realmOf(ctx, size.scaleDomains);
    const rounds = { rounds: size.startupRuns, warmup: size.warmup };
    if (ids.includes('status-scale')) {
      const s = await interleaved(rounds, async () => (await blueIn(ws, big.repos[1].dir, COMMANDS.status)).ms, async () => (await blueIn(ws, small.repos[1].dir, COMMANDS.status)).ms);
      outcomes['status-scale'] = { measured: s.blue, baseline: s.baseline };
    }
    if (ids.includes('check-scale')) {
      const c = await interleaved(
        { rounds: Math.max(1, Math.ceil(size.startupRuns / 3)), warmup: size.warmup },
        async () => (await blueIn(ws, big.repos[1].dir, COMMANDS.check)).ms,
        async () => (await run(ws, process.execPath, [PARSE_REALM, big.realm], { cwd: big.realm })).ms,
      );
      outcomes['check-scale'] = { measured: c.blue, baseline: c.baseline };
    }
  }
  if (ids.includes('mcp-status-scale')) {
    const small = await realmOf(ctx, 10);
    const big = await realmOf(ctx, size.scaleDomains);
    const servers = [];
    try {
      const [onBig, onSmall] = [await startMcp(ws, big.repos[1].dir, big.repos[1].name), await startMcp(ws, small.repos[1].dir, small.repos[1].name)];
      servers.push(onBig, onSmall);
      const s = await interleaved({ rounds: Math.ceil(size.mcpCalls / 2), warmup: size.mcpWarmup }, () => onBig.callStatus(), () => onSmall.callStatus());
      outcomes['mcp-status-scale'] = { measured: s.blue, baseline: s.baseline, details: [`p50 ${fmtMs(summarize(s.blue).median)} at ${size.scaleDomains} domains, ${fmtMs(summarize(s.baseline).median)} at 10; ${size.mcpWarmup} warm-up calls each discarded`] };
    } finally {
      for (const server of servers) await server.close();
    }
  }
  if (ids.includes('scale-ulimit')) {
    const huge = await realmOf(ctx, size.hugeDomains);
    const measured = [];
    const details = [];
    let failures = 0;
    for (const [name, args] of Object.entries(COMMANDS)) {
      const r = await run(ws, 'sh', ['-c', 'ulimit -n 256 && exec "$@"', 'sh', process.execPath, BLUE_BIN, ...args], { cwd: huge.repos[1].dir, expect: null, timeoutMs: 600_000 });
      measured.push(r.ms);
      details.push(`${name}: exit ${r.code} in ${fmtMs(r.ms)}${r.code === 0 ? '' : `: ${(r.stderr || r.stdout).replace(/\s+/g, ' ').slice(0, 200)}`}`);
      if (r.code !== 0) failures++;
    }
    outcomes['scale-ulimit'] = { measured, total: measured.length, failures, details: [details.join('; '), `median ${fmtMs(summarize(measured).median)}`] };
  }
  return outcomes;
}
