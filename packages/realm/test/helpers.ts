import { join } from 'node:path';
import { fixtureRepo, sandbox, type FixtureRepo, type Sandbox } from '@blue/testkit';
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
  }
  return { box, realm, aperture, fungal };
}
