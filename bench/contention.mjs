// Many publishers at once (issue 25). N domains, each with its own code repo, BLUE_HOME and so its
// own realm clone (N machines), all running `blue realm sync` at the same moment against one realm
// remote, each publishing a changed export value. Every round all N must succeed (exit 0, their
// publish on the remote); the round's wall time (first spawn to last exit) is compared with the
// same race in plain git: N clones of a copy of the realm remote, each changing one file of its
// own, committing, then `until git pull --rebase && git push; do :; done`, all at once.
// `sync-uncontended`: one publisher's sync alone against `git pull --rebase; git commit; git push`
// in one clone of the same realm, rounds interleaved.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { publishers } from './fixtures/publishers.mjs';
import { interleaved } from './lib/measure.mjs';
import { BLUE_BIN } from './lib/paths.mjs';
import { run } from './lib/proc.mjs';
import { fmtMs, summarize } from './lib/stats.mjs';
import { gitSync } from './lib/workspace.mjs';

export const figures = [
  {
    id: 'sync-contended-ok',
    figure: (size) => `${size.publishers} domains run \`blue realm sync\` at once (own clones, one realm remote): succeeded`,
    baseline: 'every one, every round',
    budget: { kind: 'all-ok' },
  },
  {
    id: 'sync-contended-wall',
    figure: (size) => `${size.publishers} domains syncing at once: wall time of the round`,
    baseline: `\`git pull --rebase && git push\` retry loop in as many clones`,
    budget: { kind: 'ratio', max: 1.5 },
  },
  {
    id: 'sync-uncontended',
    figure: () => 'uncontended `blue realm sync` publishing one changed value',
    baseline: '`git pull --rebase; git commit; git push` in a clone of the same realm',
    budget: { kind: 'ratio', max: 6 },
  },
];

/** Spawns `command args` and resolves its exit code (output kept for a failure's message). */
function spawnCode(ws, command, args, { cwd, env }) {
  return new Promise((resolve) => {
    const child = ws.track(spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (out += c));
    child.on('error', (error) => resolve({ code: -1, out: String(error) }));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const GIT_LOOP = 'n=0; until git pull --quiet --rebase && git push --quiet; do n=$((n+1)); [ $n -ge 500 ] && exit 1; done; exit 0';

export async function measure(ctx, ids) {
  const { ws, size } = ctx;
  const fx = await publishers(ws, 'contention', size.publishers);
  const sync = (p) => spawnCode(ws, process.execPath, [BLUE_BIN, 'realm', 'sync', '--json', '--no-notify'], { cwd: p.dir, env: p.env });
  // Warm-up, untimed: each publisher's first sync clones the realm into its home (one at a time).
  for (const p of fx.publishers) {
    const first = await sync(p);
    if (first.code !== 0) throw new Error(`the first sync of ${p.name} failed: ${first.out.slice(0, 600)}`);
  }
  const outcomes = {};
  const wantContended = ids.includes('sync-contended-ok') || ids.includes('sync-contended-wall');
  if (wantContended) {
    const failures = [];
    const rounds = await interleaved(
      { rounds: size.contentionRounds, warmup: 0 },
      async (round) => {
        fx.publishers.forEach((_, i) => fx.bump(i, round + 1));
        const started = performance.now();
        const results = await Promise.all(fx.publishers.map((p) => sync(p)));
        const ms = performance.now() - started;
        results.forEach((r, i) => {
          if (r.code !== 0) failures.push(`round ${round}: ${fx.publishers[i].name} exit ${r.code}: ${r.out.replace(/\s+/g, ' ').slice(0, 300)}`);
        });
        return ms;
      },
      async (round) => {
        fx.gitClones.forEach((dir, i) => {
          appendFileSync(join(dir, 'domains', fx.publishers[i].name, 'exports.yaml'), `# round ${round}\n`);
          gitSync(ws, dir, 'commit', '--quiet', '-am', `round ${round}`);
        });
        const started = performance.now();
        const results = await Promise.all(fx.gitClones.map((dir) => spawnCode(ws, 'sh', ['-c', GIT_LOOP], { cwd: dir, env: ws.env })));
        const ms = performance.now() - started;
        const bad = results.filter((r) => r.code !== 0);
        if (bad.length > 0) throw new Error(`the git loop failed in ${bad.length} clone(s): ${bad[0].out.slice(0, 300)}`);
        return ms;
      },
    );
    const total = size.publishers * size.contentionRounds;
    outcomes['sync-contended-ok'] = { measured: rounds.blue, total, failures: failures.length, details: [`${total - failures.length} of ${total} syncs succeeded over ${size.contentionRounds} round(s)`, ...failures.slice(0, 3)] };
    outcomes['sync-contended-wall'] = { measured: rounds.blue, baseline: rounds.baseline, details: [`round wall: Blue ${fmtMs(summarize(rounds.blue).median)}, git loop ${fmtMs(summarize(rounds.baseline).median)}`] };
  }
  if (ids.includes('sync-uncontended')) {
    const p = fx.publishers[0];
    const clone = fx.gitClones[0];
    const samples = await interleaved(
      { rounds: size.syncRounds * 2, warmup: size.warmup },
      async (round) => {
        fx.bump(0, 1000 + round);
        const r = await run(ws, process.execPath, [BLUE_BIN, 'realm', 'sync', '--json', '--no-notify'], { cwd: p.dir, env: p.env });
        if (!JSON.parse(r.stdout).exports?.some((e) => e.status === 'updated')) throw new Error(`blue realm sync published nothing: ${r.stdout.slice(0, 400)}`);
        return r.ms;
      },
      async (round) => {
        appendFileSync(join(clone, 'domains', p.name, 'exports.yaml'), `# alone ${round}\n`);
        const r = await run(ws, 'sh', ['-c', 'git pull --quiet --rebase --autostash && git commit --quiet -am alone && git push --quiet'], { cwd: clone });
        return r.ms;
      },
    );
    outcomes['sync-uncontended'] = { measured: samples.blue, baseline: samples.baseline };
  }
  return outcomes;
}
