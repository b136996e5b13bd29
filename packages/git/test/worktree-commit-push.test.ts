import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareRemote, clone, git, gitRepo, sandbox, writeTree, type Sandbox } from '@blue/testkit';
import { addWorktree, commitAllIn, pushBranchTo } from '@blue/git';

const BRANCH = 'feat/training-metrics-v2';

/** A bare remote with one commit on main, a clone of it, and a worktree of the clone on BRANCH. */
async function worktree(box: Sandbox): Promise<{ remote: string; repo: string; wt: string }> {
  const remote = await bareRemote(box);
  const seed = await gitRepo(box, { 'README.md': 'hello\n', 'old.txt': 'old' }, { origin: remote });
  await git(box, seed, ['push', '--quiet', 'origin', 'main']);
  const repo = await clone(box, remote);
  const { path } = await addWorktree(repo, { path: '.worktrees/feat-training-metrics-v2', branch: BRANCH }, { env: box.env });
  return { remote, repo, wt: path };
}

async function hook(dir: string, name: string, script: string): Promise<void> {
  await mkdir(join(dir, 'hooks'), { recursive: true });
  const file = join(dir, 'hooks', name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
}

describe('commitAllIn', () => {
  it('says committed: false when there is nothing, and commits every kind of change when there is', async () => {
    const box = await sandbox();
    const { wt } = await worktree(box);
    const env = box.env;
    const start = await git(box, wt, ['rev-parse', 'HEAD']);
    expect(await commitAllIn(wt, 'nothing', { env })).toEqual({ committed: false, files: [] });
    expect(await git(box, wt, ['rev-parse', 'HEAD'])).toBe(start);

    await writeTree(wt, { 'README.md': 'changed\n', 'src/new file.py': 'x = 1\n' });
    await rm(join(wt, 'old.txt'));
    const result = await commitAllIn(wt, 'feat: add experiment metrics\n\nWith IAM support.', { env });
    expect(result).toEqual({ committed: true, sha: await git(box, wt, ['rev-parse', 'HEAD']), files: ['README.md', 'old.txt', 'src/new file.py'] });
    expect(await git(box, wt, ['log', '-1', '--format=%B'])).toBe('feat: add experiment metrics\n\nWith IAM support.');
    expect(await git(box, wt, ['rev-parse', 'HEAD^'])).toBe(start);
    expect(await git(box, wt, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await commitAllIn(wt, 'again', { env })).toEqual({ committed: false, files: [] });
  });

  it('runs the repository’s commit hooks unless verify is false; a refusing hook is GIT_FAILED', async () => {
    const box = await sandbox();
    const { repo, wt } = await worktree(box);
    await hook(join(repo, '.git'), 'pre-commit', 'echo "secret found in README.md" >&2; exit 1');
    await writeTree(wt, { 'README.md': 'token\n' });
    await expect(commitAllIn(wt, 'm', { env: box.env })).rejects.toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('secret found') });
    expect(await commitAllIn(wt, 'm', { env: box.env, verify: false })).toMatchObject({ committed: true });
  });

  it('refuses a worktree in the middle of a merge or with unresolved conflicts, staging nothing', async () => {
    const box = await sandbox();
    const { wt } = await worktree(box);
    const env = box.env;
    await git(box, wt, ['switch', '--quiet', '-c', 'side']);
    await writeTree(wt, { 'README.md': 'side\n' });
    await git(box, wt, ['commit', '--quiet', '-am', 'side']);
    await git(box, wt, ['switch', '--quiet', BRANCH]);
    await writeTree(wt, { 'README.md': 'ours\n' });
    await git(box, wt, ['commit', '--quiet', '-am', 'ours']);
    await expect(git(box, wt, ['merge', '--quiet', 'side'])).rejects.toThrow();
    await writeTree(wt, { 'extra.txt': 'e' });
    await expect(commitAllIn(wt, 'm', { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('middle of a merge') });
    expect(await git(box, wt, ['status', '--porcelain'])).toContain('?? extra.txt');

    await git(box, wt, ['merge', '--abort']);
    await rm(join(wt, 'extra.txt'));
    await expect(git(box, wt, ['cherry-pick', 'side'])).rejects.toThrow();
    await expect(commitAllIn(wt, 'm', { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('middle of a cherry-pick') });
    await git(box, wt, ['cherry-pick', '--abort']);

    // A stash that did not apply cleanly: conflicts, and no operation in progress.
    await writeTree(wt, { 'README.md': 'stashed\n' });
    await git(box, wt, ['stash', '--quiet']);
    await writeTree(wt, { 'README.md': 'committed\n' });
    await git(box, wt, ['commit', '--quiet', '-am', 'committed']);
    await expect(git(box, wt, ['stash', 'pop', '--quiet'])).rejects.toThrow();
    await expect(commitAllIn(wt, 'm', { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('unresolved conflicts in README.md') });
    expect(await git(box, wt, ['diff', '--name-only', '--diff-filter=U'])).toBe('README.md');
  });
});

describe('pushBranchTo', () => {
  it('pushes a new branch and sets its upstream, then reports up to date', async () => {
    const box = await sandbox();
    const { remote, repo, wt } = await worktree(box);
    const env = box.env;
    await writeTree(wt, { 'a.txt': 'a' });
    const { sha } = await commitAllIn(wt, 'a', { env });
    const result = await pushBranchTo(repo, BRANCH, { env });
    expect(result).toEqual({ pushed: true, upToDate: false, remote: 'origin', branch: BRANCH, head: sha, attempts: 1 });
    expect(await git(box, remote, ['rev-parse', BRANCH])).toBe(sha);
    expect(await git(box, wt, ['rev-parse', '--abbrev-ref', '@{upstream}'])).toBe(`origin/${BRANCH}`);
    expect(await pushBranchTo(wt, BRANCH, { env })).toMatchObject({ pushed: false, upToDate: true, head: sha });
  });

  it('a pre-receive hook rejection is PUSH_REJECTED with its reason, redacted, and is not retried', async () => {
    const box = await sandbox();
    const { remote, repo, wt } = await worktree(box);
    const runs = join(box.root, 'hook-runs');
    await hook(remote, 'pre-receive', `echo run >> '${runs}'\necho "branch names are frozen, see https://bob:ghp_0123456789abcdefghijABCDEFGHIJ012345@example.com/x" >&2\nexit 1`);
    await writeTree(wt, { 'a.txt': 'a' });
    await commitAllIn(wt, 'a', { env: box.env });
    const err = await pushBranchTo(repo, BRANCH, { env: box.env, retries: 2, backoffMs: 1 }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'PUSH_REJECTED', message: expect.stringContaining('branch names are frozen') });
    expect((err as Error).message).toContain('pre-receive hook declined');
    expect((err as Error).message).not.toMatch(/ghp_|bob/);
    expect((await readFile(runs, 'utf8')).trim().split('\n')).toHaveLength(1);
    await expect(git(box, remote, ['rev-parse', '--verify', '--quiet', BRANCH])).rejects.toThrow();
  });

  it('reports a non-fast-forward as PUSH_REJECTED saying how to rebase, without forcing', async () => {
    const box = await sandbox();
    const { remote, repo, wt } = await worktree(box);
    const other = await clone(box, remote);
    await git(box, other, ['switch', '--quiet', '-c', BRANCH]);
    await writeTree(other, { 'theirs.txt': 't' });
    await git(box, other, ['add', '--all']);
    await git(box, other, ['commit', '--quiet', '-m', 'theirs']);
    await git(box, other, ['push', '--quiet', 'origin', BRANCH]);
    const theirs = await git(box, other, ['rev-parse', 'HEAD']);
    await writeTree(wt, { 'mine.txt': 'm' });
    await commitAllIn(wt, 'mine', { env: box.env });
    await expect(pushBranchTo(repo, BRANCH, { env: box.env, backoffMs: 1 })).rejects.toMatchObject({
      code: 'PUSH_REJECTED',
      message: expect.stringContaining('non-fast-forward'),
      hint: expect.stringContaining(`pull --rebase origin ${BRANCH}`),
    });
    expect(await git(box, remote, ['rev-parse', BRANCH])).toBe(theirs);
  });

  it('retries a ref locked by a concurrent push, and gives up with PUSH_REJECTED after `retries`', async () => {
    const box = await sandbox();
    const { remote, repo, wt } = await worktree(box);
    const lock = join(remote, 'refs', 'heads', 'feat', 'training-metrics-v2.lock');
    await mkdir(join(remote, 'refs', 'heads', 'feat'), { recursive: true });
    await writeFile(lock, '');
    await writeTree(wt, { 'a.txt': 'a' });
    const { sha } = await commitAllIn(wt, 'a', { env: box.env });
    await expect(pushBranchTo(repo, BRANCH, { env: box.env, retries: 1, backoffMs: 1 })).rejects.toMatchObject({
      code: 'PUSH_REJECTED',
      message: expect.stringContaining('cannot lock ref'),
    });
    const seen: Array<[number, string]> = [];
    const beforeRetry = async (attempt: number, reason: string): Promise<void> => {
      seen.push([attempt, reason]);
      await rm(lock);
    };
    const result = await pushBranchTo(repo, BRANCH, { env: box.env, backoffMs: 1, beforeRetry });
    expect(result).toMatchObject({ pushed: true, attempts: 2, head: sha });
    expect(seen).toEqual([[2, expect.stringMatching(/failed to (update ref|lock)/)]]);
    expect(await git(box, remote, ['rev-parse', BRANCH])).toBe(sha);
  });

  it('retries a connection that broke off, and reports it as GIT_FAILED when it keeps breaking', async () => {
    const box = await sandbox();
    const { remote, repo, wt } = await worktree(box);
    // A remote helper that always drops the connection, on PATH for this test only.
    const bin = join(box.root, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'git-remote-flaky'), '#!/bin/sh\necho "error: RPC failed; curl 56 Recv failure: Connection reset by peer" >&2\necho "fatal: early EOF" >&2\nexit 128\n');
    await chmod(join(bin, 'git-remote-flaky'), 0o755);
    const env = { ...box.env, PATH: `${bin}:${box.env.PATH ?? ''}` };
    await git(box, repo, ['remote', 'set-url', 'origin', 'flaky::https://bob:secret-pass@example.com/x.git']);
    await writeTree(wt, { 'a.txt': 'a' });
    const { sha } = await commitAllIn(wt, 'a', { env });
    let calls = 0;
    const err = await pushBranchTo(repo, BRANCH, { env, backoffMs: 1, beforeRetry: () => void calls++ }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('early EOF') });
    expect(calls).toBe(2);
    expect((err as Error).message).not.toContain('secret-pass');
    // The connection comes back before the second attempt.
    const seen: Array<[number, string]> = [];
    const beforeRetry = async (attempt: number, reason: string): Promise<void> => {
      seen.push([attempt, reason]);
      await git(box, repo, ['remote', 'set-url', 'origin', remote]);
    };
    expect(await pushBranchTo(repo, BRANCH, { env, backoffMs: 1, retries: 1, beforeRetry })).toMatchObject({ pushed: true, attempts: 2, head: sha });
    expect(seen).toEqual([[2, 'fatal: early EOF']]);
  });

  it('an unreachable remote, a missing remote or branch is GIT_FAILED with a hint', async () => {
    const box = await sandbox();
    const repo = await gitRepo(box, { a: 'a' }, { origin: join(box.root, 'missing.git') });
    await git(box, repo, ['branch', BRANCH]);
    await expect(pushBranchTo(repo, BRANCH, { env: box.env, backoffMs: 1 })).rejects.toMatchObject({ code: 'GIT_FAILED', hint: expect.stringContaining('remote -v') });
    await expect(pushBranchTo(repo, BRANCH, { env: box.env, remote: 'upstream' })).rejects.toMatchObject({ code: 'GIT_FAILED', hint: expect.stringContaining('remote add upstream') });
    await expect(pushBranchTo(repo, 'feat/none', { env: box.env })).rejects.toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('no branch feat/none') });
    await expect(pushBranchTo(repo, 'a:b', { env: box.env })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
  });
});
