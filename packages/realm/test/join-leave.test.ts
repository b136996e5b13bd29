import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { bareRemote, clone, fixtureRepo, git, gitRepo, verifies } from '@blue/testkit';
import { parse } from 'yaml';
import { joinRealm, leaveRealm, checkRealm, realmStatus } from '@blue/realm';
import { schemaLine, type FileKind } from '@blue/core';
import { ctxIn, letemcook, RFC_VALUE } from './helpers.js';

async function yamlAt(path: string): Promise<Record<string, unknown>> {
  return parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

describe('joinRealm', () => {
  verifies(['realm-join-registers-domain', 'realm-join-detects-s3-exports'], 'registers aperture with its detected S3 export in one realm commit', async () => {
    const { box, realm, aperture } = await letemcook();
    const result = await joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook', as: 'aperture' });
    expect(result).toMatchObject({
      status: 'joined',
      realm: { name: 'letemcook', path: realm },
      domain: { name: 'aperture', repo: aperture.dir, repo_url: aperture.remote, maintainers: ['test@blue.example'] },
      exports: [{ name: 'required-s3-permissions', version: '1.0.0', source: 'detect', values: 7 }],
      imports: [],
      files: { repo: ['.blue/config.yaml', '.blue/exports.yaml'] },
    });
    expect(await yamlAt(join(realm, 'domains/aperture/domain.yaml'))).toEqual({ name: 'aperture', repo_url: aperture.remote, maintainers: ['test@blue.example'], joined_at: '2026-01-24T10:00:00Z' });
    const exports = (await yamlAt(join(realm, 'domains/aperture/exports.yaml'))).exports as Array<Record<string, unknown>>;
    expect(exports[0]).toMatchObject({ name: 'required-s3-permissions', version: '1.0.0', value: RFC_VALUE });
    expect(await yamlAt(join(aperture.dir, '.blue/config.yaml'))).toEqual({ realm: { name: 'letemcook', path: '../realm-letemcook', domain: 'aperture' } });
    expect(await yamlAt(join(box.env.BLUE_HOME ?? '', 'index.yaml'))).toEqual({ realms: [{ name: 'letemcook', local_path: realm, domains: [{ name: 'aperture', path: aperture.dir }] }] });
    expect(await readFile(join(realm, '.github/CODEOWNERS'), 'utf8')).toContain('/domains/aperture/ test@blue.example');
    // Every YAML file the join wrote starts with the schema line of its kind, once.
    const written: Array<[FileKind, string]> = [['domain', join(realm, 'domains/aperture/domain.yaml')], ['realm-exports', join(realm, 'domains/aperture/exports.yaml')], ['config', join(aperture.dir, '.blue/config.yaml')], ['repo-exports', join(aperture.dir, '.blue/exports.yaml')], ['index', join(box.env.BLUE_HOME ?? '', 'index.yaml')]];
    for (const [kind, path] of written) {
      const text = await readFile(path, 'utf8');
      expect(text.split('\n')[0], path).toBe(schemaLine(kind));
      expect(text.split('yaml-language-server').length, path).toBe(2);
    }
    expect(await git(box, realm, ['rev-list', '--count', 'HEAD'])).toBe('2');
    expect(await git(box, realm, ['log', '-1', '--format=%s'])).toBe('aperture: join realm letemcook');
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
    expect(result.commit).toBe(await git(box, realm, ['rev-parse', 'HEAD']));
  });

  verifies('multi-domain-coordination', 'fungal joins and its IAM stack is detected as the binding of an import from aperture', async () => {
    const { box, realm, fungal } = await letemcook({ join: true });
    const imports = (await yamlAt(join(realm, 'domains/fungal-image-analysis/imports.yaml'))).imports;
    expect(imports).toEqual([
      {
        contract: 'required-s3-permissions',
        from: 'aperture',
        version: '^1.0.0',
        binding: 'cdk/training_tools_access_stack.py',
        status: 'current',
        resolved_version: '1.0.0',
        resolved_at: '2026-01-24T10:00:00Z',
        // What the stack grants in aperture's bucket, so aperture can tell what is already granted.
        grants: {
          read: ['cultivarium-fungal/jobs/*/*/config.json', 'cultivarium-fungal/jobs/*/*/manifest.json', 'cultivarium-fungal/jobs/*/masks/*', 'cultivarium-fungal/training-metrics/*', 'cultivarium-fungal/training-runs/*'],
          write: ['cultivarium-fungal/jobs/*/*/manifest.json', 'cultivarium-fungal/training-metrics/*'],
        },
      },
    ]);
    const published = (await yamlAt(join(realm, 'domains/aperture/exports.yaml'))).exports;
    expect(published).toEqual([expect.objectContaining({ name: 'required-s3-permissions', kind: 's3-paths', bucket: 'cultivarium-fungal' })]);
    const status = await realmStatus(ctxIn(box, fungal.dir));
    expect(status.imports).toEqual([expect.objectContaining({ contract: 'required-s3-permissions', from: 'aperture', status: 'current', missing: [] })]);
    const apertureStatus = await realmStatus(ctxIn(box, join(box.root, 'aperture')));
    expect(apertureStatus.exports[0]?.consumers).toEqual([{ domain: 'fungal-image-analysis', version: '^1.0.0', status: 'current' }]);
    expect((await checkRealm(ctxIn(box, realm))).ok).toBe(true);
  });

  verifies('realm-join-registers-domain', 'joining twice is a no-op that says so', async () => {
    const { box, realm, aperture } = await letemcook({ join: true });
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    const again = await joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook', as: 'aperture' });
    expect(again.status).toBe('already-member');
    expect(again.commit).toBeUndefined();
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
  });

  verifies('realm-join-registers-domain', 'a domain name taken by another repo is refused and nothing is written', async () => {
    const { box, realm } = await letemcook({ join: true });
    const other = await fixtureRepo(box, 'aperture', { as: 'aperture-fork' });
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    await expect(joinRealm(ctxIn(box, other.dir), { realmPath: '../realm-letemcook', as: 'aperture' })).rejects.toMatchObject({ code: 'DOMAIN_EXISTS' });
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    await expect(readFile(join(other.dir, '.blue/config.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  verifies('realm-join-registers-domain', 'under admission "approval" a non-approver joins on a branch, leaving main untouched', async () => {
    const { box, realm, aperture } = await letemcook();
    await writeFile(join(realm, 'realm.yaml'), (await readFile(join(realm, 'realm.yaml'), 'utf8')).replace('- test@blue.example', '- eric@example.com'));
    await git(box, realm, ['commit', '-qam', 'approvers']);
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    const result = await joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook', as: 'aperture' });
    expect(result).toMatchObject({ status: 'pending-approval', admission: { policy: 'approval', approvers: ['eric@example.com'], branch: 'blue/join/aperture' } });
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
    expect(await git(box, realm, ['ls-tree', '-r', '--name-only', 'blue/join/aperture', '--', 'domains/aperture'])).toBe('domains/aperture/domain.yaml\ndomains/aperture/exports.yaml');
    expect(result.admission.pushed).toBe(false);
    expect(result.next_steps[0]).toContain('merge blue/join/aperture');
    const status = await realmStatus(ctxIn(box, aperture.dir));
    expect(status.admitted).toBe(false);
  });

  verifies('realm-join-registers-domain', 'a join awaiting approval is pushed to the realm\'s remote, where an approver\'s clone can merge it', async () => {
    const { box, realm, aperture } = await letemcook();
    await writeFile(join(realm, 'realm.yaml'), (await readFile(join(realm, 'realm.yaml'), 'utf8')).replace('- test@blue.example', '- eric@example.com'));
    await git(box, realm, ['commit', '-qam', 'approvers']);
    const remote = await bareRemote(box);
    await git(box, realm, ['remote', 'add', 'origin', remote]);
    await git(box, realm, ['push', '--quiet', '-u', 'origin', 'main']);
    const result = await joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook', as: 'aperture' });
    expect(result.admission).toMatchObject({ branch: 'blue/join/aperture', pushed: true });
    expect(await git(box, remote, ['rev-parse', 'blue/join/aperture'])).toBe(await git(box, realm, ['rev-parse', 'blue/join/aperture']));
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(await git(box, realm, ['rev-parse', 'main']));
    // The approver, in a clone of their own, follows the next step.
    const approver = await clone(box, remote);
    await git(box, approver, ['fetch', '--quiet', 'origin', 'blue/join/aperture']);
    await git(box, approver, ['merge', '--quiet', 'FETCH_HEAD']);
    expect(await git(box, approver, ['ls-tree', '-r', '--name-only', 'HEAD', '--', 'domains/aperture'])).toContain('domains/aperture/domain.yaml');
    expect(result.next_steps[0]).toContain('git fetch origin blue/join/aperture && git merge FETCH_HEAD && git push');
  });

  verifies('realm-join-registers-domain', 'under "invite-only" a non-approver is refused', async () => {
    const { box, realm, aperture } = await letemcook();
    await writeFile(join(realm, 'realm.yaml'), (await readFile(join(realm, 'realm.yaml'), 'utf8')).replace('admission: approval', 'admission: invite-only').replace('- test@blue.example', '- eric@example.com'));
    await git(box, realm, ['commit', '-qam', 'invite only']);
    await expect(joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook' })).rejects.toMatchObject({ code: 'ADMISSION_DENIED', hint: expect.stringContaining('eric@example.com') });
  });

  verifies('realm-join-registers-domain', 'refuses a path that is not a realm, a bad name, a dirty realm, and a folder outside git', async () => {
    const { box, realm, aperture } = await letemcook();
    await expect(joinRealm(ctxIn(box, aperture.dir), { realmPath: '..' })).rejects.toMatchObject({ code: 'NOT_IN_REALM' });
    await expect(joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook', as: '../escape' })).rejects.toMatchObject({ code: 'NAME_INVALID' });
    await writeFile(join(realm, 'stray.txt'), 'x');
    await expect(joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook', as: 'aperture' })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE' });
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('?? stray.txt');
    await expect(joinRealm(ctxIn(box, box.root), { realmPath: 'realm-letemcook' })).rejects.toMatchObject({ code: 'NOT_A_REPO' });
  });

  verifies('realm-join-registers-domain', 'malformed realm files stop the join with file and line, writing nothing', async () => {
    const { box, realm, aperture } = await letemcook();
    await writeFile(join(realm, 'realm.yaml'), 'name: letemcook\ngovernance: [\n');
    await git(box, realm, ['commit', '-qam', 'broken']);
    await expect(joinRealm(ctxIn(box, aperture.dir), { realmPath: '../realm-letemcook' })).rejects.toMatchObject({ code: 'YAML_SYNTAX', file: 'realm.yaml', line: 3 });
    await expect(readFile(join(aperture.dir, '.blue/config.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('leaveRealm', () => {
  verifies('realm-join-registers-domain', 'is refused while imported, and with force leaves the consumer broken without writing into its folder', async () => {
    const { box, realm, aperture, fungal } = await letemcook({ join: true });
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    await expect(leaveRealm(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'STILL_IMPORTED', message: expect.stringContaining('fungal-image-analysis imports required-s3-permissions') });
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    const result = await leaveRealm(ctxIn(box, aperture.dir), { force: true });
    expect(result.broken_imports).toEqual([{ domain: 'fungal-image-analysis', contract: 'required-s3-permissions' }]);
    expect(result.removed.realm).toEqual(['domains/aperture/domain.yaml', 'domains/aperture/exports.yaml']);
    expect(await git(box, realm, ['ls-files', 'domains/aperture'])).toBe('');
    expect(await git(box, realm, ['show', '--name-only', '--format=', 'HEAD'])).toBe('.github/CODEOWNERS\ndomains/aperture/domain.yaml\ndomains/aperture/exports.yaml');
    expect(await readFile(join(realm, '.github/CODEOWNERS'), 'utf8')).not.toContain('/domains/aperture/');
    await expect(readFile(join(aperture.dir, '.blue/config.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
    const status = await realmStatus(ctxIn(box, fungal.dir));
    expect(status.imports[0]).toMatchObject({ status: 'broken', reasons: ['domain "aperture" is not in the realm'] });
    await expect(realmStatus(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'NOT_IN_REALM' });
  });

  verifies('realm-join-registers-domain', 'a repo with no remote joins without repo_url', async () => {
    const { box } = await letemcook();
    const plain = await gitRepo(box, { 'README.md': 'x' }, { name: 'plain' });
    const result = await joinRealm(ctxIn(box, plain), { realmPath: '../realm-letemcook' });
    expect(result.domain).toEqual({ name: 'plain', repo: plain, maintainers: ['test@blue.example'] });
    expect(result.exports).toEqual([]);
  });
});
