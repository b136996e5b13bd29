// The realm sync round trip of the RFC's Daily Development: aperture commits a new S3 path, then
// (timed) `blue realm sync` in aperture publishes it (pull, commit, push to the realm's bare
// remote, inbox notice) and `blue status --json` in fungal-image-analysis shows its import stale
// at the new version. Both domains use the realm clone the letemcook scenario joins them to.
// Baseline: the same transport with plain git on two clones A and B of a copy of the realm's
// remote: edit a file, `git commit -a && git push` in A, then `git pull` in B.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { letemcook } from './fixtures/letemcook.mjs';
import { interleaved, wall } from './lib/measure.mjs';
import { blueJson, git } from './lib/proc.mjs';
import { fmtMs, summarize } from './lib/stats.mjs';
import { gitSync } from './lib/workspace.mjs';

export const figures = [
  {
    id: 'sync-round-trip',
    figure: () => "realm sync round trip: aperture syncs, fungal's `status` shows stale",
    baseline: '`git commit && git push` in A + `git pull` in B on the same realm',
    budget: { kind: 'ratio', max: 1.5 },
  },
];

/** An aperture module writing one new S3 path per round (`tag` keeps two benchmarks' paths apart): the next sync publishes a minor version. */
export const newPath = (round, tag = 'round') => `from aperture import storage


def export_${tag}_${round}(run_id: str, path: str) -> None:
    storage.upload_file(path, f"s3://cultivarium-fungal/bench/${tag}-${round}/{run_id}")
`;

export async function measure(ctx) {
  const { ws, size } = ctx;
  const scene = await letemcook(ws, 'sync');
  const baseRemote = join(scene.root, 'remotes', 'realm-baseline.git');
  gitSync(ws, scene.root, 'clone', '--quiet', '--bare', scene.realmRemote, baseRemote);
  const a = join(scene.root, 'realm-a');
  const b = join(scene.root, 'realm-b');
  gitSync(ws, scene.root, 'clone', '--quiet', baseRemote, a);
  gitSync(ws, scene.root, 'clone', '--quiet', baseRemote, b);
  const split = { sync: [], status: [] };

  const samples = await interleaved(
    { rounds: size.syncRounds, warmup: size.warmup },
    async (i) => {
      const file = `models/training/bench_round_${i}.py`;
      writeFileSync(join(scene.aperture.dir, file), newPath(i));
      gitSync(ws, scene.aperture.dir, 'add', file);
      gitSync(ws, scene.aperture.dir, 'commit', '--quiet', '-m', `Write bench/round-${i}`);

      const sync = await blueJson(ws, ['realm', 'sync'], { cwd: scene.aperture.dir });
      const status = await blueJson(ws, ['status'], { cwd: scene.fungal.dir });
      const published = JSON.stringify(sync.json).match(/"to_version":"([^"]+)"/)?.[1];
      const imp = status.json.imports?.find((x) => x.from === 'aperture');
      if (published === undefined) throw new Error(`blue realm sync published nothing: ${sync.stdout.slice(0, 500)}`);
      if (imp?.status !== 'stale' || imp.available !== published) throw new Error(`fungal's import is ${imp?.status} (available ${imp?.available}) after aperture published ${published}`);
      if (i >= size.warmup) {
        split.sync.push(sync.ms);
        split.status.push(status.ms);
      }
      return sync.ms + status.ms;
    },
    (i) =>
      wall(async () => {
        appendFileSync(join(a, 'realm.yaml'), `# bench round ${i}\n`);
        await git(ws, a, ['commit', '--quiet', '-a', '-m', `bench round ${i}`]);
        await git(ws, a, ['push', '--quiet']);
        await git(ws, b, ['pull', '--quiet']);
      }),
  );
  return {
    'sync-round-trip': {
      measured: samples.blue,
      baseline: samples.baseline,
      details: [`median of \`blue realm sync\` ${fmtMs(summarize(split.sync).median)}, of \`blue status\` ${fmtMs(summarize(split.status).median)}`],
    },
  };
}
