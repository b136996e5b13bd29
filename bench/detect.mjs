// Export detection (`blue status --json`, whose export is detected from s3:// literals in every
// tracked file) on a generated repo of many tracked files, against ripgrep with an s3:// pattern
// over the same files (`rg -n`, run in the repo: it walks the same files, none is ignored).
// cold: Blue has never run on this clone: a fresh `git clone` of the repo (new .git), an empty
//       BLUE_HOME, runtime dir and XDG_CACHE_HOME, so nothing Blue could cache exists. The
//       OS page cache is warm for both (the checkout just wrote the files; dropping it would
//       need root and disturb the shared machine).
// warm: the repo Blue just ran in, nothing changed since.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bigRepo, BUCKET } from './fixtures/big-repo.mjs';
import { interleaved } from './lib/measure.mjs';
import { loadPackage } from './lib/paths.mjs';
import { available, blueJson, git, run } from './lib/proc.mjs';
import { gitSync } from './lib/workspace.mjs';

export const RG_MISSING = 'rg not installed (apt-get install ripgrep)';
/** What Blue looks for (files containing `s3://`, then the URI), as one ripgrep regex. */
const RG_PATTERN = 's3://[^\\s\'"`]+';

const thousands = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

export const figures = [
  {
    id: 'detect-cold',
    figure: (size) => `export detection (\`blue status\`) on a ${thousands(size.files)}-tracked-file repo, cold`,
    baseline: '`rg -n` with the same pattern over the same files',
    budget: { kind: 'ratio', max: 1.5 },
  },
  {
    id: 'detect-warm',
    figure: () => 'the same, warm (nothing changed since the last run)',
    baseline: '`rg -n`',
    budget: { kind: 'ratio', max: 0.25 },
  },
];

async function buildRepo(ctx, root) {
  const { ws, size } = ctx;
  const repo = bigRepo(ws, join(root, 'repo'), { files: size.files, s3Every: size.s3Every });
  // Declare the export (as `blue realm join` would detect it), so joining scans the files once.
  mkdirSync(join(repo.dir, '.blue'), { recursive: true });
  writeFileSync(join(repo.dir, '.blue/exports.yaml'), `exports:\n  - name: required-s3-permissions\n    detect:\n      kind: s3-paths\n      bucket: ${BUCKET}\n`);
  const { createContext, initRealm, joinRealm } = await loadPackage('realm');
  await initRealm(createContext({ cwd: root, env: ws.env }), { name: 'big', path: 'realm' });
  await joinRealm(createContext({ cwd: repo.dir, env: ws.env }), { realmPath: '../realm', as: 'big' });
  gitSync(ws, repo.dir, 'add', '.blue');
  gitSync(ws, repo.dir, 'commit', '--quiet', '-m', 'Join realm big');
  return repo;
}

export async function measure(ctx, ids) {
  const { ws, size } = ctx;
  const hasRg = await available(ws, 'rg');
  const root = ws.dir('big');
  try {
    const repo = await buildRepo(ctx, root);
    const expectedLines = repo.s3Files * 2;
    const status = async (cwd, env) => {
      const result = await blueJson(ws, ['status'], { cwd, env });
      const state = result.json.exports?.[0]?.state;
      if (state !== 'in-sync') throw new Error(`blue status in ${cwd}: export state ${state}, expected in-sync`);
      return result.ms;
    };
    const rg = async (cwd) => {
      const result = await run(ws, 'rg', ['-n', '--no-config', RG_PATTERN], { cwd });
      const lines = result.stdout.split('\n').filter((l) => l !== '').length;
      if (lines !== expectedLines) throw new Error(`rg found ${lines} lines in ${cwd}, expected ${expectedLines}`);
      return result.ms;
    };
    const baseline = (samples) => (hasRg ? samples : { skipped: RG_MISSING });
    const out = {};

    if (ids.includes('detect-cold')) {
      const blue = [];
      const base = [];
      for (let k = 1; k <= size.coldRuns; k++) {
        const clone = join(root, `cold-${k}`);
        await git(ws, root, ['clone', '--quiet', 'repo', clone]);
        const env = { ...ws.env, BLUE_HOME: join(root, `home-${k}`), BLUE_RUNTIME_DIR: `${ws.runtimeDir}-${k}`, XDG_CACHE_HOME: join(root, `cache-${k}`) };
        const order = k % 2 === 1 ? ['blue', 'rg'] : ['rg', 'blue'];
        for (const which of order) {
          if (which === 'blue') blue.push(await status(clone, env));
          else if (hasRg) base.push(await rg(clone));
        }
        rmSync(`${ws.runtimeDir}-${k}`, { recursive: true, force: true });
      }
      out['detect-cold'] = { measured: blue, baseline: baseline(base), details: [`${repo.files} tracked files, ${repo.s3Files} with s3:// literals; each cold sample in a fresh clone`] };
    }

    if (ids.includes('detect-warm')) {
      await status(repo.dir);
      if (hasRg) await rg(repo.dir);
      const samples = await interleaved({ rounds: size.warmRuns, warmup: 0 }, () => status(repo.dir), hasRg ? () => rg(repo.dir) : undefined);
      out['detect-warm'] = { measured: samples.blue, baseline: baseline(samples.baseline) };
    }
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
