import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, verifies, grantInFixtureStack } from '@blue/testkit';
import { parse } from 'yaml';
import { realmStatus, syncRealm } from '@blue/realm';
import { commitFile, ctxIn, EXPERIMENTS, type ExportsFile, letemcook, sharedRealm } from './helpers.js';

describe('syncRealm', () => {
  verifies('sync-dry-run', '--dry-run reports the computed version, the diff and the consumers, and writes nothing', async () => {
    const { box, realm, aperture } = await letemcook({ join: true });
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    const before = await readFile(join(realm, 'domains/aperture/exports.yaml'), 'utf8');
    const result = await syncRealm(ctxIn(box, aperture.dir), { dryRun: true });
    expect(result).toMatchObject({
      dry_run: true,
      pushed: false,
      exports: [{ name: 'required-s3-permissions', status: 'updated', from_version: '1.0.0', to_version: '1.1.0', bump: 'minor', breaking: false, changes: ['+ experiments/* (write)'], consumers: ['fungal-image-analysis'] }],
    });
    expect(result.commit).toBeUndefined();
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    expect(await readFile(join(realm, 'domains/aperture/exports.yaml'), 'utf8')).toBe(before);
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
  });

  verifies('sync-updates-exports', 'publishes 1.1.0 with a changelog of the change, pushes it, and leaves the code repo untouched', async () => {
    const { box, remote, aperture, realm } = await sharedRealm();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const repoStatus = await git(box, aperture.dir, ['status', '--porcelain']);
    const result = await syncRealm(ctxIn(box, aperture.dir));
    expect(result).toMatchObject({ pushed: true, exports: [{ to_version: '1.1.0', bump: 'minor' }] });
    const file = parse(await readFile(join(realm, 'domains/aperture/exports.yaml'), 'utf8')) as ExportsFile;
    expect(file.exports[0]?.version).toBe('1.1.0');
    expect(file.exports[0]?.value.write).toContain('experiments/*');
    expect(file.exports[0]?.changelog[0]).toEqual({ version: '1.1.0', date: '2026-01-24', changes: ['+ experiments/* (write)'] });
    expect(await git(box, remote, ['log', '-1', '--format=%s', 'main'])).toBe('aperture: export required-s3-permissions@1.1.0');
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(result.commit);
    expect(await git(box, aperture.dir, ['status', '--porcelain'])).toBe(repoStatus);
    const again = await syncRealm(ctxIn(box, aperture.dir));
    expect(again.commit).toBeUndefined();
    expect(again.exports[0]?.status).toBe('unchanged');
  });

  verifies(['multi-domain-coordination', 'status-shows-stale-imports'], 'the consumer stays stale until its binding covers the new path, then resolves to 1.1.0', async () => {
    const { box, aperture, fungal, fungalRealm, remote } = await sharedRealm();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    await syncRealm(ctxIn(box, aperture.dir));
    const stale = await syncRealm(ctxIn(box, fungal.dir));
    expect(stale.imports).toEqual([expect.objectContaining({ contract: 'required-s3-permissions', status: 'stale', previous_status: 'current', resolved_version: '1.0.0', missing: ['experiments/*'], changed: true })]);
    expect(stale.next_steps[0]).toContain('Update cdk/training_tools_access_stack.py to cover: experiments/*');
    await grantInFixtureStack(fungal.dir, 'WRITE_PATHS', 'experiments/*');
    await git(box, fungal.dir, ['commit', '-qam', 'cover experiments']);
    const resolved = await syncRealm(ctxIn(box, fungal.dir));
    expect(resolved.imports[0]).toMatchObject({ status: 'current', resolved_version: '1.1.0', previous_version: '1.0.0' });
    expect(await git(box, remote, ['log', '-1', '--format=%s', 'main'])).toBe('fungal-image-analysis: resolve imports');
    const recorded = parse(await readFile(join(fungalRealm, 'domains/fungal-image-analysis/imports.yaml'), 'utf8')) as { imports: Array<Record<string, unknown>> };
    expect(recorded.imports[0]).toMatchObject({ status: 'current', resolved_version: '1.1.0', resolved_at: '2026-01-24T10:00:00Z' });
    expect((await realmStatus(ctxIn(box, fungal.dir))).imports[0]?.status).toBe('current');
  });

  verifies('sync-updates-exports', 'two domains syncing from separate realm clones both land (the second rebases)', async () => {
    const { box, aperture, fungal, remote } = await sharedRealm();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    await grantInFixtureStack(fungal.dir, 'WRITE_PATHS', 'experiments/*');
    await git(box, fungal.dir, ['commit', '-qam', 'grant experiments']);
    const [a, f] = await Promise.all([syncRealm(ctxIn(box, aperture.dir)), syncRealm(ctxIn(box, fungal.dir))]);
    expect(a.pushed || a.commit === undefined).toBe(true);
    expect(f.pushed || f.commit === undefined).toBe(true);
    const subjects = (await git(box, remote, ['log', '--format=%s', 'main'])).split('\n');
    expect(subjects).toContain('aperture: export required-s3-permissions@1.1.0');
    expect(await git(box, remote, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
  });

  verifies('sync-updates-exports', 'a sync whose push failed after the realm commit is finished by the next sync, with no second commit', async () => {
    const { box, aperture, realm, remote } = await sharedRealm();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const hook = join(remote, 'hooks/pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "realm remote in maintenance" >&2\nexit 1\n', { mode: 0o755 });
    await expect(syncRealm(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'PUSH_REJECTED', message: expect.stringContaining('realm remote in maintenance') });
    const local = await git(box, realm, ['rev-parse', 'HEAD']);
    expect(await git(box, realm, ['log', '-1', '--format=%s'])).toBe('aperture: export required-s3-permissions@1.1.0');
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
    await rm(hook);
    const rerun = await syncRealm(ctxIn(box, aperture.dir));
    expect(rerun).toMatchObject({ pushed: true, commit: local, exports: [{ status: 'unchanged' }] });
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(local);
    expect(await git(box, remote, ['log', '--format=%s', 'main'])).toMatch(/^aperture: export required-s3-permissions@1\.1\.0\n(?!aperture: export)/);
  });

  verifies('sync-updates-exports', 'a removed path is a breaking major bump; a requested version below it is refused', async () => {
    const { box, aperture, realm } = await letemcook({ join: true });
    const runs = join(aperture.dir, 'models/training/runs.py');
    await writeFile(runs, '"""Runs moved elsewhere."""\n');
    await git(box, aperture.dir, ['commit', '-qam', 'drop runs']);
    const plan = await syncRealm(ctxIn(box, aperture.dir), { dryRun: true });
    expect(plan.exports[0]).toMatchObject({ bump: 'major', breaking: true, to_version: '2.0.0' });
    const declared = join(aperture.dir, '.blue/exports.yaml');
    await writeFile(declared, (await readFile(declared, 'utf8')).replace('  - name: required-s3-permissions\n', '  - name: required-s3-permissions\n    version: 1.5.0\n'));
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    await expect(syncRealm(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'VERSION_INVALID', hint: expect.stringContaining('2.0.0') });
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
  });
});
