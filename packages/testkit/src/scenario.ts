import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureRepo, type FixtureRepo } from './fixtures.js';
import { git } from './git.js';
import { runBlue } from './run-blue.js';
import type { Sandbox } from './temp.js';

export interface Scenario {
  /** The folder holding the realm and the two repos. */
  root: string;
  realm: string;
  aperture: FixtureRepo;
  fungal: FixtureRepo;
}

async function blue(box: Sandbox, args: string[], cwd: string): Promise<void> {
  const run = await runBlue(box, args, { cwd });
  if (run.exitCode !== 0) throw new Error(`blue ${args.join(' ')} failed (${run.exitCode}): ${run.stderr}`);
}

/**
 * The RFC's letemcook scenario built through the real CLI under `box.root/<under>`:
 * realm-letemcook (init), aperture and fungal-image-analysis (fixture repos with bare remotes),
 * both joined unless `join` is false; with `github`, joined as letemcook/<name> on GitHub.
 */
export async function letemcookScenario(box: Sandbox, options: { under?: string; join?: boolean; github?: boolean } = {}): Promise<Scenario> {
  const root = join(box.root, options.under ?? 'letemcook');
  await mkdir(root, { recursive: true });
  await blue(box, ['realm', 'init', '--name', 'letemcook', '--path', 'realm-letemcook'], root);
  const sub = { ...box, root };
  const aperture = await fixtureRepo(sub, 'aperture');
  const fungal = await fixtureRepo(sub, 'fungal-image-analysis');
  if (options.join ?? true) {
    const github = (name: string): string[] => (options.github ? ['--github', `letemcook/${name}`] : []);
    await blue(box, ['realm', 'join', '../realm-letemcook', '--as', 'aperture', ...github('aperture')], aperture.dir);
    await blue(box, ['realm', 'join', '../realm-letemcook', '--as', 'fungal-image-analysis', ...github('fungal-image-analysis')], fungal.dir);
    // As join's next step says: membership is committed in each repo (sync publishes only
    // committed work) and shared, so a unified branch starts level with the repo's origin.
    for (const repo of [aperture.dir, fungal.dir]) {
      await git(box, repo, ['add', '--all']);
      await git(box, repo, ['commit', '-qm', 'Join realm']);
      await git(box, repo, ['push', '-q']);
    }
  }
  return { root, realm: join(root, 'realm-letemcook'), aperture, fungal };
}
