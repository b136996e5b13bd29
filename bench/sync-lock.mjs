// The cost of the realm lock (issue "many writers at once"): an uncontended `blue realm sync`
// that publishes one new S3 path, by this build (every realm write goes through the realm gate:
// lock, owned journal, re-read under the lock, time-bounded publish), against the same sync by the
// build before the gate existed (commit PRE_GATE_REF, checked out and built in the workspace), in
// the same run, rounds interleaved. Each build drives a letemcook scenario of its own.
// Skipped (no ratio) in smoke mode and where that commit is not in this clone's history.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { letemcook } from './fixtures/letemcook.mjs';
import { interleaved } from './lib/measure.mjs';
import { ROOT } from './lib/paths.mjs';
import { PRE_GATE_REF, preGateCli } from './lib/pre-gate.mjs';
import { run } from './lib/proc.mjs';
import { fmtMs, summarize } from './lib/stats.mjs';
import { gitSync } from './lib/workspace.mjs';
import { newPath } from './sync.mjs';

export const figures = [
  {
    id: 'sync-lock-cost',
    figure: () => 'uncontended `blue realm sync` (one new S3 path) through the realm gate',
    baseline: `the same sync by the build before the gate (${PRE_GATE_REF})`,
    budget: { kind: 'ratio', max: 1.05 },
  },
];

export async function measure(ctx) {
  const { ws, size } = ctx;
  const before = await preGateCli(ctx);
  const now = await letemcook(ws, 'lock-now');
  const then = before.bin === undefined ? undefined : await letemcook(ws, 'lock-then', { bin: before.bin });
  const syncIn = (scene, bin) => async (i) => {
    const file = `models/training/lock_round_${i}.py`;
    writeFileSync(join(scene.aperture.dir, file), newPath(i, 'lock_round'));
    gitSync(ws, scene.aperture.dir, 'add', file);
    gitSync(ws, scene.aperture.dir, 'commit', '--quiet', '-m', `lock round ${i}`);
    const result = await run(ws, process.execPath, [bin, 'realm', 'sync', '--json', '--no-notify'], { cwd: scene.aperture.dir });
    if (!JSON.parse(result.stdout).exports?.some((e) => e.status === 'updated')) throw new Error(`blue realm sync published nothing: ${result.stdout.slice(0, 400)}`);
    return result.ms;
  };
  const samples = await interleaved(
    { rounds: size.syncRounds * 2, warmup: size.warmup },
    syncIn(now, join(ROOT, 'apps', 'cli', 'bin', 'run.js')),
    then === undefined ? undefined : syncIn(then, before.bin),
  );
  return {
    'sync-lock-cost': {
      measured: samples.blue,
      baseline: then === undefined ? { skipped: before.skipped } : samples.baseline,
      details: [`median with the gate ${fmtMs(summarize(samples.blue).median)}${then === undefined ? '' : `, before it ${fmtMs(summarize(samples.baseline).median)}`}`],
    },
  };
}
