// Statistics and number formatting for the benchmarks: medians, min–max, nearest-rank percentiles.

/** The value at percentile `p` (0–100) of `samples`, nearest-rank (p99 of 200 samples is the 198th). */
export function percentile(samples, p) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** n, median, min, max, p50, p99 and mean of a list of numbers (milliseconds, usually). */
export function summarize(samples) {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    n: sorted.length,
    median,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
  };
}

/** A duration for a human: "0.42 ms", "12.3 ms", "345 ms", "1.23 s", "65.4 s". */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "412 ms (398 ms–455 ms, n=15)": median, then min–max and the number of samples. */
export function fmtSpan(summary) {
  return `${fmtMs(summary.median)} (${fmtMs(summary.min)}–${fmtMs(summary.max)}, n=${summary.n})`;
}

/** "p50 3.10 ms / p99 8.20 ms (0.91 ms–12.4 ms, n=200)" for latency figures. */
export function fmtPercentiles(summary) {
  return `p50 ${fmtMs(summary.p50)} / p99 ${fmtMs(summary.p99)} (${fmtMs(summary.min)}–${fmtMs(summary.max)}, n=${summary.n})`;
}

/** "4.87×" */
export function fmtRatio(ratio) {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}
