#!/usr/bin/env node
// Runs Blue's benchmarks against the BUILT workspace and prints one table: figure, budget,
// measured (median, min–max), the baseline measured in the same run, the ratio, PASS/FAIL.
// Exits 1 when a figure fails its budget or a benchmark cannot run, 2 on a usage error.
//
//   node bench/run.mjs                      every benchmark, full sizes (about 5–10 minutes)
//   node bench/run.mjs --smoke              tiny sizes, budgets not applied (the test suite runs this)
//   node bench/run.mjs --only help,worktree a subset, by figure id
//   node bench/run.mjs --out FILE           also write the report (machine, table, notes) to FILE
//
// Everything happens in one temp folder (BLUE_HOME, BLUE_RUNTIME_DIR and a git identity inside
// it), removed at the end, on failure and on Ctrl-C; every child process is stopped.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import * as broadcast from './broadcast.mjs';
import * as commitPush from './commit-push.mjs';
import * as contention from './contention.mjs';
import * as detect from './detect.mjs';
import * as help from './help.mjs';
import * as live from './live.mjs';
import { assertBuilt } from './lib/paths.mjs';
import { fmtMs, fmtPercentiles, fmtRatio, fmtSpan, summarize } from './lib/stats.mjs';
import { renderTable } from './lib/table.mjs';
import { createWorkspace } from './lib/workspace.mjs';
import * as mcp from './mcp.mjs';
import * as registrations from './registrations.mjs';
import * as scale from './scale.mjs';
import * as status from './status.mjs';
import * as statusFresh from './status-fresh.mjs';
import * as sync from './sync.mjs';
import * as syncLock from './sync-lock.mjs';
import * as worktree from './worktree.mjs';

/** In the order of issue 9's table. */
const MODULES = [status, statusFresh, help, mcp, worktree, commitPush, detect, broadcast, sync, syncLock, registrations, live, contention, scale];

const SIZES = {
  full: {
    /** Rounds run first and discarded (JIT, page cache), for the benchmarks that repeat a command. */
    warmup: 1,
    startupRuns: 15,
    mcpCalls: 200,
    mcpWarmup: 20,
    domains: 50,
    unifiedRounds: 4,
    files: 100_000,
    s3Every: 100,
    coldRuns: 3,
    warmRuns: 4,
    sessions: 100,
    broadcastRounds: 20,
    broadcastWarmup: 3,
    syncRounds: 5,
    registrations: 100,
    registrationRounds: 5,
    liveRounds: 20,
    liveSessions: [1, 10, 100],
    /** Intervals counted per session count. */
    liveWindow: 8,
    publishers: 50,
    contentionRounds: 3,
    scaleDomains: 2000,
    hugeDomains: 10_000,
  },
  smoke: {
    warmup: 0,
    startupRuns: 2,
    mcpCalls: 10,
    mcpWarmup: 2,
    domains: 3,
    unifiedRounds: 1,
    files: 200,
    s3Every: 20,
    coldRuns: 1,
    warmRuns: 2,
    sessions: 5,
    broadcastRounds: 2,
    broadcastWarmup: 1,
    syncRounds: 1,
    registrations: 5,
    registrationRounds: 1,
    liveRounds: 2,
    liveSessions: [1, 3],
    liveWindow: 2,
    publishers: 2,
    contentionRounds: 1,
    scaleDomains: 12,
    hugeDomains: 12,
  },
};

const USAGE = `usage: node bench/run.mjs [--smoke] [--only id,id…] [--out FILE]
figure ids: ${MODULES.flatMap((m) => m.figures.map((f) => f.id)).join(', ')}
`;

function budgetText(budget) {
  if (budget.kind === 'ratio') return `≤ ${budget.max}× baseline`;
  if (budget.kind === 'latency') return `p50 ≤ ${budget.p50} ms, p99 ≤ ${budget.p99} ms`;
  if (budget.kind === 'latency-p95') return `p50 ≤ ${fmtMs(budget.p50)}, p95 ≤ ${fmtMs(budget.p95)}`;
  if (budget.kind === 'at-most') return `≤ ${budget.max} ${budget.unit}`;
  if (budget.kind === 'all-ok') return 'all succeed';
  return `0 lost, ≤ ${fmtMs(budget.maxMs)}`;
}

/** One table row from a figure's definition and what its benchmark returned (or threw). */
function evaluate(def, outcome, { smoke, size }) {
  const row = { id: def.id, figure: def.figure(size), budget: budgetText(def.budget), measured: '', baseline: '', ratio: '—', result: '' };
  const baselineNote = def.baseline;
  if (outcome.error !== undefined) {
    return { ...row, measured: '—', baseline: baselineNote, result: `ERROR: ${outcome.error.split('\n')[0].slice(0, 160)}`, failed: true };
  }
  const m = summarize(outcome.measured);
  const base = Array.isArray(outcome.baseline) ? summarize(outcome.baseline) : undefined;
  const skipped = outcome.baseline?.skipped;
  let pass;
  if (def.budget.kind === 'ratio') {
    row.measured = fmtSpan(m);
    row.baseline = base !== undefined ? `${baselineNote}: ${fmtSpan(base)}` : `${baselineNote}: skipped: ${skipped}`;
    if (base !== undefined) {
      const ratio = m.median / base.median;
      row.ratio = fmtRatio(ratio);
      pass = ratio <= def.budget.max;
    }
  } else if (def.budget.kind === 'latency') {
    row.measured = fmtPercentiles(m);
    row.baseline = base !== undefined ? `${baselineNote}: ${fmtPercentiles(base)}` : baselineNote;
    pass = m.p50 <= def.budget.p50 && m.p99 <= def.budget.p99;
  } else if (def.budget.kind === 'latency-p95') {
    row.measured = `p50 ${fmtMs(m.p50)} / p95 ${fmtMs(m.p95)} (n=${m.n})`;
    row.baseline = base !== undefined ? `${baselineNote}: p50 ${fmtMs(base.p50)} / p95 ${fmtMs(base.p95)}` : baselineNote;
    pass = m.p50 <= def.budget.p50 && m.p95 <= def.budget.p95;
  } else if (def.budget.kind === 'at-most') {
    row.measured = `${outcome.measured.map((v) => v.toFixed(2)).join(' / ')} ${def.budget.unit}`;
    row.baseline = baselineNote;
    pass = m.max <= def.budget.max;
  } else if (def.budget.kind === 'all-ok') {
    row.measured = `${outcome.total - outcome.failures} of ${outcome.total} ok; ${fmtSpan(m)}`;
    row.baseline = baselineNote;
    pass = outcome.failures === 0;
  } else {
    row.measured = `${outcome.lost} lost; ${fmtSpan(m)}`;
    row.baseline = baselineNote;
    pass = outcome.lost === 0 && m.median <= def.budget.maxMs;
  }
  if (skipped !== undefined && !smoke) row.result = `skipped: ${skipped}`;
  else if (smoke) row.result = 'smoke (no budget)';
  else row.result = pass ? 'PASS' : 'FAIL';
  return { ...row, failed: !smoke && skipped === undefined && !pass };
}

function machine() {
  const model = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${availableParallelism()} cores (${model}), Node ${process.version}, ${process.platform}/${process.arch}`;
}

async function main() {
  let args;
  try {
    args = parseArgs({ options: { smoke: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } } }).values;
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const known = MODULES.flatMap((m) => m.figures.map((f) => f.id));
  const wanted = args.only === undefined ? known : args.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length > 0 || wanted.length === 0) {
    process.stderr.write(`unknown figure id(s): ${unknown.join(', ') || '(none given)'}\n${USAGE}`);
    return 2;
  }
  try {
    assertBuilt();
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`);
    return 1;
  }

  const smoke = args.smoke;
  const size = smoke ? SIZES.smoke : SIZES.full;
  const started = performance.now();
  const ws = createWorkspace();
  const cache = new Map();
  const ctx = {
    ws,
    smoke,
    size,
    /** A fixture built once per run and shared by the benchmarks that only read it. */
    shared(key, build) {
      if (!cache.has(key)) cache.set(key, build());
      return cache.get(key);
    },
  };
  const log = (text) => process.stderr.write(`bench: ${text}\n`);
  log(`${smoke ? 'smoke run (tiny sizes, no budgets)' : 'full run'} in ${ws.root}; ${machine()}`);

  const rows = [];
  const notes = [];
  try {
    for (const module of MODULES) {
      const ids = module.figures.map((f) => f.id).filter((id) => wanted.includes(id));
      if (ids.length === 0) continue;
      if (ws.interrupted) break;
      const t = performance.now();
      log(`${ids.join(', ')} …`);
      let outcomes;
      try {
        outcomes = await module.measure(ctx, ids);
      } catch (error) {
        const message = error?.stack ?? String(error);
        log(`${ids.join(', ')} failed: ${message}`);
        outcomes = Object.fromEntries(ids.map((id) => [id, { error: error?.message ?? String(error) }]));
      }
      for (const def of module.figures.filter((f) => ids.includes(f.id))) {
        const outcome = outcomes[def.id] ?? { error: 'the benchmark returned no figure' };
        const row = evaluate(def, outcome, { smoke, size });
        rows.push(row);
        for (const detail of outcome.details ?? []) notes.push(`- ${def.id}: ${detail}`);
        log(`${def.id}: ${row.measured} | ${row.baseline} | ${row.ratio} | ${row.result}`);
      }
      log(`${ids.join(', ')} took ${fmtMs(performance.now() - t)}`);
    }
  } finally {
    await ws.cleanup();
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const failed = rows.filter((r) => r.failed);
  const report = [
    `Blue benchmarks, ${smoke ? 'smoke run (tiny sizes, budgets not applied)' : 'full run'}: ${new Date().toISOString()}`,
    `Machine: ${machine()}. Took ${seconds} s.`,
    '',
    renderTable(rows),
    '',
    ...(notes.length > 0 ? ['Notes:', ...notes, ''] : []),
    failed.length > 0
      ? `Result: ${failed.length} figure(s) failed: ${failed.map((r) => r.id).join(', ')}.`
      : smoke
        ? 'Result: every benchmark ran (smoke: budgets not applied).'
        : `Result: every figure within budget${rows.some((r) => r.result.startsWith('skipped')) ? ' (skipped rows aside)' : ''}.`,
    '',
  ].join('\n');
  process.stdout.write(`\n${report}`);
  if (args.out) writeFileSync(args.out, report);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
// Everything was closed at cleanup; should a handle still hold the event loop, do not hang.
setTimeout(() => {
  process.stderr.write('bench: something still held the event loop after cleanup; exiting anyway\n');
  process.exit(process.exitCode);
}, 5000).unref();
