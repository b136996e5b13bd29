import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { git, verifies } from '@blue/testkit';
import { checkRealm, realmGraph, realmStatus } from '@blue/realm';
import { commitFile, ctxIn, EXPERIMENTS, letemcook } from './helpers.js';

// Issue 25: realm files parsed once per process (ParsedFileMemo). The same status, check and graph
// with the memo cold and warm, and a realm file changed in place is read anew.

/** A result without the moments it was computed at. */
const timeless = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'fetched_at' ? undefined : v)));

describe('parsed realm files, remembered', () => {
  verifies('realm-files-parsed-once', 'status, check and graph are the same with the memo cold and warm; a realm file changed in place is read anew', async () => {
    const { box, realm, aperture, fungal } = await letemcook({ join: true });
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    // Files changed in the last two seconds are not remembered (racy): let the realm's age.
    await sleep(2_100);
    const run = async (): Promise<unknown[]> => [
      await realmStatus(ctxIn(box, aperture.dir), { offline: true }),
      await realmStatus(ctxIn(box, fungal.dir), { offline: true }),
      await checkRealm(ctxIn(box, fungal.dir), { offline: true }),
      await realmGraph(ctxIn(box, aperture.dir), { offline: true }),
    ].map(timeless);
    const cold = await run();
    const warm = await run();
    expect(warm).toEqual(cold);
    expect(cold[0]).toMatchObject({ exports: [{ state: 'changed', published_version: '1.0.0' }] });

    // The same number of bytes, written in place: the published version moves and status sees it.
    const file = join(realm, 'domains/aperture/exports.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/version: 1\.0\.0/g, 'version: 1.0.9'));
    await git(box, realm, ['commit', '-qam', 'aperture: 1.0.9']);
    const after = timeless(await realmStatus(ctxIn(box, aperture.dir), { offline: true }));
    expect(after).toMatchObject({ exports: [{ published_version: '1.0.9' }] });
  });
});
