// `blue --help` wall time against `node -e 0` (the floor of any Node CLI), both spawned the same way.
import process from 'node:process';
import { interleaved } from './lib/measure.mjs';
import { blue, run } from './lib/proc.mjs';

export const figures = [
  {
    id: 'help',
    figure: () => '`blue --help` wall time',
    baseline: '`node -e 0`',
    budget: { kind: 'ratio', max: 1.8 },
  },
];

export async function measure(ctx) {
  const { ws, size } = ctx;
  const samples = await interleaved(
    { rounds: size.startupRuns, warmup: size.warmup },
    async () => (await blue(ws, ['--help'], { cwd: ws.root })).ms,
    async () => (await run(ws, process.execPath, ['-e', '0'], { cwd: ws.root })).ms,
  );
  return { help: { measured: samples.blue, baseline: samples.baseline } };
}
