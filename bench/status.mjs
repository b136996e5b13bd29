// `blue status --json` wall time in the letemcook fixture (aperture: export detection over its
// tracked files, its consumer's import evaluated) against `node -e 0`.
import process from 'node:process';
import { letemcook } from './fixtures/letemcook.mjs';
import { interleaved } from './lib/measure.mjs';
import { blueJson, run } from './lib/proc.mjs';

export const figures = [
  {
    id: 'status-json',
    figure: () => '`blue status --json` wall time, letemcook fixture (in aperture)',
    baseline: '`node -e 0`',
    budget: { kind: 'ratio', max: 1.8 },
  },
];

export async function measure(ctx) {
  const { ws, size } = ctx;
  const scene = await ctx.shared('letemcook', () => letemcook(ws, 'letemcook'));
  const samples = await interleaved(
    { rounds: size.startupRuns, warmup: size.warmup },
    async () => {
      const result = await blueJson(ws, ['status'], { cwd: scene.aperture.dir });
      if (result.json.domain !== 'aperture' || result.json.exports?.length !== 1) throw new Error(`unexpected status: ${result.stdout.slice(0, 300)}`);
      return result.ms;
    },
    async () => (await run(ws, process.execPath, ['-e', '0'], { cwd: scene.aperture.dir })).ms,
  );
  return { 'status-json': { measured: samples.blue, baseline: samples.baseline } };
}
