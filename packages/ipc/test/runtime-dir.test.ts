import { chmod, lstat, mkdir, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@blue/testkit';
import { checkRealmDir, ensureRealmDir, ensureRuntimeDir, locateRealmDir, realmKey, resolveRuntimeDir, socketPathFor, SOCKET_PATH_MAX_BYTES, startSessionServer } from '@blue/ipc';

const mode = async (path: string): Promise<number> => (await lstat(path)).mode & 0o777;

describe('runtime folder', () => {
  it('resolves BLUE_RUNTIME_DIR, else $XDG_RUNTIME_DIR/blue, else <tmpdir>/blue-<uid>', () => {
    expect(resolveRuntimeDir({ BLUE_RUNTIME_DIR: '/r/blue', XDG_RUNTIME_DIR: '/run/user/7' }, 7)).toBe('/r/blue');
    expect(resolveRuntimeDir({ XDG_RUNTIME_DIR: '/run/user/7' }, 7)).toBe('/run/user/7/blue');
    expect(resolveRuntimeDir({ BLUE_RUNTIME_DIR: '', XDG_RUNTIME_DIR: '', TMPDIR: '/var/tmp/' }, 7)).toBe('/var/tmp/blue-7');
    expect(resolveRuntimeDir({}, 501)).toBe('/tmp/blue-501');
  });

  it('creates the runtime, realm, sessions and inbox folders with mode 0700', async () => {
    const root = await tempDir('bi-');
    const realmDir = await ensureRealmDir(join(root, 'a', 'run'), { name: 'letemcook', path: root });
    expect(realmDir).toBe(join(root, 'a', 'run', realmKey({ name: 'letemcook', path: root })));
    expect(realmKey({ name: 'letemcook', path: root })).toMatch(/^[0-9a-f]{12}$/);
    for (const dir of [join(root, 'a'), join(root, 'a', 'run'), realmDir, join(realmDir, 'sessions'), join(realmDir, 'inbox')]) {
      expect(await mode(dir), dir).toBe(0o700);
    }
    // Symlinks to the realm clone lead to the same folder; locating creates nothing.
    await symlink(root, join(root, 'link'));
    expect(await locateRealmDir(join(root, 'a', 'run'), { name: 'letemcook', path: join(root, 'link') })).toBe(realmDir);
    expect(await locateRealmDir(join(root, 'b'), { name: 'letemcook', path: root })).toBe(join(root, 'b', realmKey({ name: 'letemcook', path: root })));
    expect(existsSync(join(root, 'b'))).toBe(false);
    // Idempotent, and the same realm at the same place maps to the same folder.
    expect(await ensureRealmDir(join(root, 'a', 'run'), { name: 'letemcook', path: root })).toBe(realmDir);
    expect(realmKey({ name: 'letemcook', path: '/elsewhere' })).not.toBe(realmKey({ name: 'letemcook', path: root }));
  });

  it('checkRealmDir (for readers) creates nothing, and refuses any existing part that ensureRealmDir would refuse', async () => {
    const root = await tempDir('bi-');
    const realm = { name: 'letemcook', path: root };
    expect(await checkRealmDir(join(root, 'run'), realm)).toBe(join(root, 'run', realmKey(realm)));
    expect(existsSync(join(root, 'run'))).toBe(false);
    const realmDir = await ensureRealmDir(join(root, 'run'), realm);
    expect(await checkRealmDir(join(root, 'run'), realm)).toBe(realmDir);
    await chmod(join(realmDir, 'inbox'), 0o777);
    await expect(checkRealmDir(join(root, 'run'), realm)).rejects.toMatchObject({ code: 'SOCKET_DIR_UNSAFE', message: expect.stringContaining('inbox has mode 0777') });
    expect(await mode(join(realmDir, 'inbox'))).toBe(0o777);
  });

  it('refuses a runtime folder that is a symbolic link, even to a safe folder', async () => {
    const root = await tempDir('bi-');
    await mkdir(join(root, 'real'), { mode: 0o700 });
    await symlink(join(root, 'real'), join(root, 'run'));
    await expect(ensureRuntimeDir(join(root, 'run'))).rejects.toMatchObject({ code: 'SOCKET_DIR_UNSAFE', message: expect.stringContaining('symbolic link') });
  });

  it('refuses a folder open to group or others (0755) and does not chmod it', async () => {
    const root = await tempDir('bi-');
    await mkdir(join(root, 'run'));
    await chmod(join(root, 'run'), 0o755);
    await expect(ensureRuntimeDir(join(root, 'run'))).rejects.toMatchObject({
      code: 'SOCKET_DIR_UNSAFE',
      message: expect.stringContaining('mode 0755'),
      hint: expect.stringContaining('chmod 700'),
    });
    expect(await mode(join(root, 'run'))).toBe(0o755);
    // A realm folder inside a safe runtime folder is checked the same way.
    await chmod(join(root, 'run'), 0o700);
    await mkdir(join(root, 'run', realmKey({ name: 'r', path: root })), { mode: 0o700 });
    await chmod(join(root, 'run', realmKey({ name: 'r', path: root })), 0o770);
    await expect(ensureRealmDir(join(root, 'run'), { name: 'r', path: root })).rejects.toMatchObject({ code: 'SOCKET_DIR_UNSAFE' });
  });

  it('refuses a folder owned by another user', async () => {
    const root = await tempDir('bi-');
    const dir = await ensureRuntimeDir(join(root, 'run'));
    const owner = (await lstat(dir)).uid;
    await expect(ensureRuntimeDir(dir, { uid: owner + 1 })).rejects.toMatchObject({ code: 'SOCKET_DIR_UNSAFE', message: expect.stringContaining(`owned by uid ${owner}`) });
  });

  it('refuses a file where the folder should be', async () => {
    const root = await tempDir('bi-');
    await writeFile(join(root, 'run'), 'not a folder');
    await expect(ensureRuntimeDir(join(root, 'run'))).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
  });

  it('refuses a runtime folder too deep for socket paths, with a hint to set BLUE_RUNTIME_DIR', async () => {
    const root = await tempDir('bi-');
    const deep = join(root, 'x'.repeat(SOCKET_PATH_MAX_BYTES - root.length - 20));
    const refusal = { code: 'SOCKET_DIR_UNSAFE', message: expect.stringContaining('bytes long'), hint: expect.stringContaining('BLUE_RUNTIME_DIR') };
    await expect(ensureRealmDir(deep, { name: 'letemcook', path: root })).rejects.toMatchObject(refusal);
    expect(() => socketPathFor(join(deep, 'abcdefabcdef'), 'session')).toThrow(expect.objectContaining(refusal));
    await expect(startSessionServer({ socketPath: join(deep, `${'s'.repeat(40)}.sock`) })).rejects.toMatchObject(refusal);
    // Bytes, not characters: multi-byte names count for what they weigh.
    expect(() => socketPathFor(join('/tmp', 'é'.repeat(45)), 'session')).toThrow(expect.objectContaining(refusal));
  });
});
