// Hostile-member corpus, the smaller defects: file names that are not UTF-8, `blue realm init`
// into an existing folder, a cwd that cannot be entered.
import { chmod, chown, mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, gitRepo, runBlue, sandbox, spawnMcp, verifies } from '@blue/testkit';
import { EXIT, expectRefused, expectToolRefused } from './helpers.js';

describe('hostile member: smaller defects', () => {
  verifies('hostile-input-refused', 'a tracked file whose name is not UTF-8 is not skipped by detection: all 4 of 4 s3 paths are found', async () => {
    const box = await sandbox();
    const repo = await gitRepo(box, {
      'a.py': 'open("s3://bucket/one/a.csv")\n',
      'b.py': 'open("s3://bucket/two/b.csv")\n',
      'c.py': 'open("s3://bucket/three/c.csv")\n',
    });
    // "caf\xe9.py": Latin-1, not UTF-8.
    await writeFile(Buffer.concat([Buffer.from(`${repo}/caf`), Buffer.from([0xe9]), Buffer.from('.py')]), 'open("s3://bucket/four/d.csv")\n');
    await git(box, repo, ['add', '-A']);
    await git(box, repo, ['commit', '-q', '-m', 'latin-1 name']);
    expect((await runBlue(box, ['realm', 'init', '--name', 'bytes', '--path', join(box.root, 'realm')])).exitCode).toBe(0);
    const joined = await runBlue(box, ['realm', 'join', join(box.root, 'realm'), '--as', 'app', '--json'], { cwd: repo });
    expect(joined.exitCode, joined.stdout + joined.stderr).toBe(0);
    const status = await runBlue(box, ['realm', 'export', '--name', 's3-paths', '--detect', '--json'], { cwd: repo });
    const value = status.json<{ export: { value: { read?: string[] } } }>().export.value;
    expect(JSON.stringify(value)).toContain('four/d.csv');
    expect(value.read?.length).toBe(4);
  });

  verifies('init-refuses-occupied-path', '`blue realm init` into an existing empty folder keeps it: same inode, mode, group and setgid bit, and new files take its group', async () => {
    const box = await sandbox();
    const target = join(box.root, 'shared-realm');
    await mkdir(target);
    const group = process.getuid?.() === 0 ? 1 : (await stat(target)).gid;
    if (process.getuid?.() === 0) await chown(target, 0, group);
    await chmod(target, 0o2770);
    const before = await stat(target);
    const run = await runBlue(box, ['realm', 'init', '--name', 'kept', '--path', target, '--json']);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const after = await stat(target);
    expect({ ino: after.ino, mode: after.mode, gid: after.gid }).toEqual({ ino: before.ino, mode: before.mode, gid: before.gid });
    expect(after.mode & 0o2000).toBe(0o2000);
    expect((await stat(join(target, 'realm.yaml'))).gid).toBe(group);
    expect(await git(box, target, ['log', '--format=%s'])).toBe('realm: init kept');
  });

  verifies('hostile-input-refused', 'a cwd that loops through symlinks is CWD_UNUSABLE (not "Install git"), CLI and MCP', async () => {
    const box = await sandbox();
    await symlink(join(box.root, 'b'), join(box.root, 'a'));
    await symlink(join(box.root, 'a'), join(box.root, 'b'));
    const run = await runBlue(box, ['status', '--cwd', join(box.root, 'a'), '--json']);
    const error = expectRefused(run, 'CWD_UNUSABLE', 4);
    expect(error.message).toContain('loops through symlinks');
    expect(error.hint).not.toContain('Install git');
    const { client } = await spawnMcp(box);
    const tool = await client.callTool({ name: 'blue_status', arguments: { cwd: join(box.root, 'a') } });
    expect(expectToolRefused(tool, 'CWD_UNUSABLE')).not.toContain('Install git');
    const file = join(box.root, 'file');
    await writeFile(file, '');
    expectRefused(await runBlue(box, ['status', '--cwd', file, '--json']), 'NOT_A_DIRECTORY', EXIT.state);
  });
});
