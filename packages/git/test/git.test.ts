import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareRemote, git, gitRepo, sandbox, tempDir, verifies } from '@blue/testkit';
import { assertClean, commit, currentBranch, findRepoRoot, headSha, initRepo, isClean, remoteUrl, repoRoot, runGit, statusEntries, userEmail } from '@blue/git';

describe('@blue/git', () => {
  it('initialises on main, commits everything and returns the SHA', async () => {
    const box = await sandbox();
    const dir = await tempDir();
    await initRepo(dir, { env: box.env });
    expect(await currentBranch(dir, { env: box.env })).toBe('main');
    expect(await headSha(dir, { env: box.env })).toBeUndefined();
    await writeFile(join(dir, 'a.txt'), 'a');
    const sha = await commit(dir, 'first\n\nbody', { env: box.env });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await headSha(dir, { env: box.env })).toBe(sha);
    expect(await git(box, dir, ['log', '-1', '--format=%s|%ae'])).toBe('first|test@blue.example');
    expect(await isClean(dir, { env: box.env })).toBe(true);
  });

  it('reports uncommitted changes as DIRTY_WORKTREE, naming the files', async () => {
    const box = await sandbox();
    const dir = await gitRepo(box, { 'a.txt': 'a', 'b.txt': 'b' });
    await writeFile(join(dir, 'a.txt'), 'changed');
    await writeFile(join(dir, 'new file.txt'), 'n');
    expect((await statusEntries(dir, { env: box.env })).map((e) => [e.code, e.path])).toEqual([
      [' M', 'a.txt'],
      ['??', 'new file.txt'],
    ]);
    await expect(assertClean(dir, 'aperture', { env: box.env })).rejects.toMatchObject({
      code: 'DIRTY_WORKTREE',
      message: 'aperture has uncommitted changes: a.txt, new file.txt.',
    });
  });

  it('finds the repo root, remotes and identity; says NOT_A_REPO outside one', async () => {
    const box = await sandbox();
    const remote = await bareRemote(box);
    const dir = await gitRepo(box, { 'src/x.py': '' }, { origin: remote });
    expect(await repoRoot(join(dir, 'src'), { env: box.env })).toBe(dir);
    expect(await remoteUrl(dir, 'origin', { env: box.env })).toBe(remote);
    expect(await remoteUrl(dir, 'upstream', { env: box.env })).toBeUndefined();
    expect(await userEmail(dir, { env: box.env })).toBe('test@blue.example');
    const outside = await tempDir();
    expect(await findRepoRoot(outside, { env: box.env })).toBeUndefined();
    await expect(repoRoot(outside, { env: box.env })).rejects.toMatchObject({ code: 'NOT_A_REPO' });
  });

  it('says GIT_IDENTITY when git does not know who is committing', async () => {
    const box = await sandbox();
    const config = join(box.root, 'anonymous.gitconfig');
    await writeFile(config, '[user]\n\tuseConfigOnly = true\n');
    const env = { ...box.env, GIT_CONFIG_GLOBAL: config };
    const dir = await tempDir();
    await initRepo(dir, { env });
    await writeFile(join(dir, 'a'), 'a');
    await expect(commit(dir, 'x', { env })).rejects.toMatchObject({ code: 'GIT_IDENTITY', hint: expect.stringContaining('git config --global user.email') });
  });

  verifies('secrets-redacted', 'git failures carry stderr with credentials removed', async () => {
    const box = await sandbox();
    const dir = await gitRepo(box, { a: 'a' }, { origin: 'https://bob:ghp_0123456789abcdefghijABCDEFGHIJ012345@127.0.0.1:9/nope.git' });
    const err = await runGit(dir, ['push', 'origin', 'main'], { env: box.env }).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('GIT_FAILED');
    expect(err?.message).not.toContain('ghp_');
    expect(err?.message).not.toContain('bob');
    expect(err?.message).toContain('git push origin main failed');
  });

  it('runs git with exactly the given environment', async () => {
    const box = await sandbox();
    const dir = await gitRepo(box, { a: 'a' });
    const { stdout } = await runGit(dir, ['config', '--get', 'user.name'], { env: box.env });
    expect(stdout.trim()).toBe('Blue Test');
  });
});
