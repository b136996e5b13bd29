import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bareRemote, clone, fixtureRepo, git, sandbox, type FixtureRepo, type Sandbox } from '@blue/testkit';
import { createContext, initRealm, joinRealm, type BlueContext } from '@blue/realm';

export const NOW = new Date('2026-01-24T10:00:00Z');

/** The RFC's export value of aperture, as detection must find it in the fixture. */
export const RFC_VALUE = {
  read: ['jobs/*/*/config.json', 'jobs/*/*/manifest.json', 'jobs/*/masks/*', 'training-metrics/*', 'training-runs/*'],
  write: ['jobs/*/*/manifest.json', 'training-metrics/*'],
};

export function ctxIn(box: Sandbox, cwd: string, now: Date = NOW): BlueContext {
  return createContext({ cwd, env: box.env, now: () => now });
}

export interface Letemcook {
  box: Sandbox;
  realm: string;
  aperture: FixtureRepo;
  fungal: FixtureRepo;
}

/** The RFC scenario: realm-letemcook, aperture and fungal-image-analysis repos; joined when asked. */
export async function letemcook(options: { join?: boolean } = {}): Promise<Letemcook> {
  const box = await sandbox();
  await initRealm(ctxIn(box, box.root), { name: 'letemcook', path: 'realm-letemcook' });
  const realm = join(box.root, 'realm-letemcook');
  const aperture = await fixtureRepo(box, 'aperture');
  const fungal = await fixtureRepo(box, 'fungal-image-analysis');
  if (options.join) {
    await joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook', as: 'aperture' });
    await joinRealm(ctxIn(box, fungal.dir), { realmPath: '../realm-letemcook', as: 'fungal-image-analysis' });
    // As join's next step says: membership is committed (sync publishes only committed work) and shared.
    for (const repo of [aperture.dir, fungal.dir]) await commitAll(box, repo, 'Join realm', { push: true });
  }
  return { box, realm, aperture, fungal };
}

/**
 * A new aperture module writing to training-metrics/experiments/* (the RFC's daily change). The
 * fungal stack already grants it: IAM's `training-metrics/*` spans folders.
 */
export const RFC_EXPERIMENTS = 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}")\n';

/** A new aperture module writing to experiments/* (a path the fungal stack does not grant yet). */
export const EXPERIMENTS = 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/experiments/{run_id}")\n';


/** Commits every change in the repo, as a user would before a sync; pushes it to origin when asked. */
export async function commitAll(box: Sandbox, repo: string, message: string, options: { push?: boolean } = {}): Promise<void> {
  await git(box, repo, ['add', '--all']);
  await git(box, repo, ['commit', '-qm', message]);
  if (options.push) await git(box, repo, ['push', '-q']);
}

export async function commitFile(box: Sandbox, repo: string, path: string, content: string): Promise<void> {
  await writeFile(join(repo, path), content);
  await git(box, repo, ['add', '--', path]);
  await git(box, repo, ['commit', '-qm', `edit ${path}`]);
}

export interface ExportsFile {
  exports: Array<{ name: string; version: string; value: { read: string[]; write: string[] }; changelog: Array<{ version: string; changes: string[]; breaking?: boolean; approved_by?: string }> }>;
}

export interface SharedRealm extends Letemcook {
  remote: string;
  fungalRealm: string;
}

/**
 * Letemcook where the realm lives on a bare remote and each domain uses its own realm clone;
 * `fungalGithub`/`apertureGithub` record their GitHub repositories (their origins are local bare repos).
 */
export async function sharedRealm(options: { fungalGithub?: string; apertureGithub?: string } = {}): Promise<SharedRealm> {
  const scene = await letemcook();
  const { box, realm } = scene;
  const remote = await bareRemote(box, 'realm-letemcook.git');
  await git(box, realm, ['remote', 'add', 'origin', remote]);
  await git(box, realm, ['push', '-q', '-u', 'origin', 'main']);
  const fungalRealm = await clone(box, remote, 'realm-for-fungal');
  await joinRealm(ctxIn(box, scene.aperture.dir), { realmPath: '../realm-letemcook', as: 'aperture', github: options.apertureGithub });
  await git(box, realm, ['push', '-q']);
  await git(box, fungalRealm, ['pull', '-q']);
  await joinRealm(ctxIn(box, scene.fungal.dir), { realmPath: '../realm-for-fungal', as: 'fungal-image-analysis', github: options.fungalGithub });
  await git(box, fungalRealm, ['push', '-q']);
  for (const repo of [scene.aperture.dir, scene.fungal.dir]) await commitAll(box, repo, 'Join realm', { push: true });
  return { ...scene, remote, fungalRealm };
}

/**
 * Adds `count` domains (a domain.yaml each: extra-000, extra-001, …) to the realm clone, committed
 * and pushed when the clone has a remote: a realm big enough to be read by blob id.
 */
export async function addSyntheticDomains(box: Sandbox, realm: string, count: number, options: { push?: boolean } = {}): Promise<void> {
  for (let i = 0; i < count; i++) {
    const name = `extra-${String(i).padStart(3, '0')}`;
    await mkdir(join(realm, 'domains', name), { recursive: true });
    await writeFile(join(realm, 'domains', name, 'domain.yaml'), `name: ${name}\nmaintainers: [eric@example.com]\njoined_at: 2026-01-01T00:00:00Z\n`);
  }
  await commitAll(box, realm, `${count} more domains`, options);
}
