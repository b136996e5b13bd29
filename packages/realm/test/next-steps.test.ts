import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, verifies } from '@blue/testkit';
import { checkRealm, listRealmSessions, realmGraph, syncRealm } from '@blue/realm';
import { commitFile, ctxIn, EXPERIMENTS, letemcook } from './helpers.js';

describe('next_steps of check, graph and sessions', () => {
  verifies('mcp-agent-ergonomics', 'say nothing when all is well, then name the command for drift, stale imports and broken files', async () => {
    const { box, realm, aperture, fungal } = await letemcook({ join: true });
    expect((await checkRealm(ctxIn(box, realm))).next_steps).toEqual([]);
    expect((await realmGraph(ctxIn(box, realm))).next_steps).toEqual([]);
    expect((await listRealmSessions(ctxIn(box, realm))).next_steps).toEqual([expect.stringMatching(/^blue mcp install --client /), expect.stringMatching(/^blue realm sessions --watch/)]);

    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    expect((await checkRealm(ctxIn(box, aperture.dir))).next_steps).toEqual([expect.stringMatching(/^blue realm sync --dry-run/)]);

    await syncRealm(ctxIn(box, aperture.dir), { notify: false });
    const stale = "blue status  # in fungal-image-analysis's repo";
    expect((await checkRealm(ctxIn(box, fungal.dir))).next_steps).toEqual([expect.stringContaining(stale)]);
    expect((await realmGraph(ctxIn(box, realm))).next_steps).toEqual([`${stale}: its import of required-s3-permissions from aperture is stale`]);

    await writeFile(join(realm, 'realm.yaml'), 'name: [\n');
    await git(box, realm, ['commit', '-qam', 'break']);
    expect((await checkRealm(ctxIn(box, realm))).next_steps[0]).toBe('Fix what the findings name (file or domain), then: blue realm check');
  });
});
