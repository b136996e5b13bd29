import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, sandbox, verifies, type Sandbox } from '@blue/testkit';
import { parseFileOfKind } from '@blue/core';
import { createContext, initRealm } from '@blue/realm';

const NOW = new Date('2026-01-24T10:00:00Z');

function ctx(box: Sandbox, cwd = box.root, env = box.env) {
  return createContext({ cwd, env, now: () => NOW });
}

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('initRealm', () => {
  verifies('realm-init-structure', 'creates realm.yaml, domains/, contracts/, CODEOWNERS and one commit on main', async () => {
    const box = await sandbox();
    const result = await initRealm(ctx(box), { name: 'letemcook', path: 'realm-letemcook' });
    const realm = join(box.root, 'realm-letemcook');
    expect(result).toEqual({
      realm: { name: 'letemcook', path: realm, version: '1.0.0', created_at: '2026-01-24T10:00:00Z' },
      governance: { admission: 'approval', approvers: ['test@blue.example'], breaking_changes: { require_approval: true, grace_period_days: 14 } },
      files: ['realm.yaml', 'domains/.gitkeep', 'contracts/.gitkeep', '.github/CODEOWNERS'],
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      next_steps: expect.arrayContaining([expect.stringContaining(`blue realm join ${realm}`)]),
    });
    expect(parseFileOfKind('realm', await readFile(join(realm, 'realm.yaml'), 'utf8'), 'realm.yaml')).toEqual({
      name: 'letemcook',
      version: '1.0.0',
      created_at: '2026-01-24T10:00:00Z',
      governance: result.governance,
    });
    expect(await listing(realm)).toEqual(['.git', '.github', 'contracts', 'domains', 'realm.yaml']);
    expect(await git(box, realm, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(await git(box, realm, ['rev-list', '--count', 'HEAD'])).toBe('1');
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(result.commit);
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
    expect(await git(box, realm, ['ls-files'])).toBe(['.github/CODEOWNERS', 'contracts/.gitkeep', 'domains/.gitkeep', 'realm.yaml'].join('\n'));
    expect(((await stat(realm)).mode & 0o777).toString(8)).not.toBe('700');
  });

  verifies('realm-init-structure', 'creates the realm in the cwd when it is empty, and missing parent folders', async () => {
    const box = await sandbox();
    const empty = join(box.root, 'empty');
    await mkdir(empty);
    const before = await stat(empty);
    await initRealm(ctx(box, empty), { name: 'here' });
    expect(await listing(empty)).toContain('realm.yaml');
    // The caller's folder itself (a shell may be in it), not a new one renamed over it.
    expect((await stat(empty)).ino).toBe(before.ino);
    expect((await readdir(box.root)).filter((e) => e.startsWith('.blue-init-'))).toEqual([]);
    expect(await git(box, empty, ['status', '--porcelain'])).toBe('');
    await initRealm(ctx(box), { name: 'deep', path: 'a/b/c' });
    expect(await listing(join(box.root, 'a/b/c'))).toContain('realm.yaml');
  });

  verifies('init-refuses-invalid-name', 'refuses an invalid name before touching the disk', async () => {
    const box = await sandbox();
    const before = await listing(box.root);
    for (const name of ['Letemcook', '../escape', 'a/b', '', 'x'.repeat(65)]) {
      await expect(initRealm(ctx(box), { name, path: 'realm' })).rejects.toMatchObject({ code: 'NAME_INVALID' });
    }
    expect(await listing(box.root)).toEqual(before);
  });

  verifies('init-refuses-existing-realm', 'a second init says the realm exists and changes nothing', async () => {
    const box = await sandbox();
    const first = await initRealm(ctx(box), { name: 'letemcook', path: 'realm' });
    const realm = join(box.root, 'realm');
    const yaml = await readFile(join(realm, 'realm.yaml'), 'utf8');
    await expect(initRealm(ctx(box), { name: 'other', path: 'realm' })).rejects.toMatchObject({
      code: 'REALM_EXISTS',
      message: `A realm named "letemcook" already exists at ${realm}.`,
    });
    expect(await readFile(join(realm, 'realm.yaml'), 'utf8')).toBe(yaml);
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(first.commit);
    expect(await listing(box.root)).not.toEqual(expect.arrayContaining([expect.stringMatching(/^\.blue-init-/)]));
  });

  verifies('init-refuses-occupied-path', 'refuses a non-empty folder and a file path, writing nothing', async () => {
    const box = await sandbox();
    const occupied = join(box.root, 'occupied');
    await mkdir(occupied);
    await writeFile(join(occupied, 'notes.txt'), 'mine');
    await expect(initRealm(ctx(box), { name: 'x', path: 'occupied' })).rejects.toMatchObject({ code: 'FOLDER_NOT_EMPTY' });
    expect(await listing(occupied)).toEqual(['notes.txt']);
    await writeFile(join(box.root, 'file'), 'f');
    await expect(initRealm(ctx(box), { name: 'x', path: 'file' })).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
    await expect(initRealm(ctx(box), { name: 'x', path: 'file/sub' })).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
    expect(await readFile(join(box.root, 'file'), 'utf8')).toBe('f');
    expect((await listing(box.root)).filter((e) => e.startsWith('.blue-init-'))).toEqual([]);
  });

  verifies('init-atomic-on-failure', 'when git cannot commit, no realm, no temp folder and no created parents remain', async () => {
    const box = await sandbox();
    const config = join(box.root, 'anonymous.gitconfig');
    await writeFile(config, '[user]\n\tuseConfigOnly = true\n[init]\n\tdefaultBranch = main\n');
    const env = { ...box.env, GIT_CONFIG_GLOBAL: config };
    const before = await listing(box.root);
    await expect(initRealm(ctx(box, box.root, env), { name: 'letemcook', path: 'new/realm' })).rejects.toMatchObject({ code: 'GIT_IDENTITY' });
    expect(await listing(box.root)).toEqual(before);
  });
});

it('uses BLUE_HOME from the environment for the context', () => {
  const context = createContext({ cwd: '/tmp', env: { BLUE_HOME: '/tmp/blue-home' } });
  expect(context.home).toBe('/tmp/blue-home');
  expect(createContext({ cwd: '/tmp', env: { HOME: '/h' } }).home).toMatch(/\.blue$/);
});
