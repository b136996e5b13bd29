// What freshness costs `blue status --json` (issue "realm by URL, fresh"): this build, whose
// status first makes sure the realm clone is no older than BLUE_FETCH_TTL, against the build
// before it (lib/pre-gate.mjs), in the same run, rounds interleaved, each on a letemcook scenario
// of its own whose realm has a local bare remote. Two figures: a fresh view (fetched within the
// TTL: no fetch, only the look at how far behind or ahead the clone is) and an expired one
// (BLUE_FETCH_TTL=0: a fetch of the bare remote every time).
import { join } from 'node:path';
import process from 'node:process';
import { letemcook } from './fixtures/letemcook.mjs';
import { interleaved } from './lib/measure.mjs';
import { ROOT } from './lib/paths.mjs';
import { PRE_GATE_REF, preGateCli } from './lib/pre-gate.mjs';
import { run } from './lib/proc.mjs';
import { fmtMs, summarize } from './lib/stats.mjs';

export const figures = [
  {
    id: 'status-fresh-view',
    figure: () => '`blue status --json`, realm view fresh (within BLUE_FETCH_TTL)',
    baseline: `\`blue status --json\` by the build before freshness (${PRE_GATE_REF})`,
    budget: { kind: 'ratio', max: 1.1 },
  },
  {
    id: 'status-expired-view',
    figure: () => '`blue status --json`, realm view expired (BLUE_FETCH_TTL=0: fetch a local bare remote)',
    baseline: `\`blue status --json\` by the build before freshness (${PRE_GATE_REF})`,
    budget: { kind: 'ratio', max: 1.6 },
  },
];

export async function measure(ctx) {
  const { ws, size } = ctx;
  const before = await preGateCli(ctx);
  const now = await letemcook(ws, 'fresh-now');
  const then = before.bin === undefined ? undefined : await letemcook(ws, 'fresh-then', { bin: before.bin });
  const status = (scene, bin, env) => async () => {
    const result = await run(ws, process.execPath, [bin, 'status', '--json'], { cwd: scene.aperture.dir, env: { ...ws.env, ...env } });
    if (JSON.parse(result.stdout).domain !== 'aperture') throw new Error(`unexpected status: ${result.stdout.slice(0, 300)}`);
    return result.ms;
  };
  const current = join(ROOT, 'apps', 'cli', 'bin', 'run.js');
  const out = {};
  for (const [id, env] of [['status-fresh-view', { BLUE_FETCH_TTL: '3600' }], ['status-expired-view', { BLUE_FETCH_TTL: '0' }]]) {
    const samples = await interleaved({ rounds: size.startupRuns, warmup: size.warmup }, status(now, current, env), then === undefined ? undefined : status(then, before.bin, {}));
    out[id] = {
      measured: samples.blue,
      baseline: then === undefined ? { skipped: before.skipped } : samples.baseline,
      details: [`median ${fmtMs(summarize(samples.blue).median)}${then === undefined ? '' : ` vs ${fmtMs(summarize(samples.baseline).median)} before`}`],
    };
  }
  return out;
}
