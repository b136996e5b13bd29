// Measuring Blue against its baseline on a shared, noisy machine: the two are interleaved
// (AB BA …) so drift in the machine's load hits both alike, and warm-up rounds are discarded.
import { performance } from 'node:perf_hooks';

/**
 * Runs `warmup + rounds` rounds; each round runs `blue(i)` and `baseline(i)` (alternating which
 * goes first) and each returns its time in ms. Returns the kept samples {blue, baseline}.
 * `baseline` may be undefined (no baseline: only Blue is measured).
 */
export async function interleaved({ rounds, warmup = 1 }, blue, baseline) {
  const kept = { blue: [], baseline: [] };
  for (let i = 0; i < warmup + rounds; i++) {
    const order = baseline === undefined ? [['blue', blue]] : i % 2 === 0 ? [['blue', blue], ['baseline', baseline]] : [['baseline', baseline], ['blue', blue]];
    for (const [which, fn] of order) {
      const ms = await fn(i);
      if (i >= warmup) kept[which].push(ms);
    }
  }
  return kept;
}

/** The wall time of `fn()` in ms (for loops of commands: spawn gaps included, as a user waits them). */
export async function wall(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
