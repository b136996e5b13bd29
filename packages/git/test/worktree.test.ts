import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareRemote, clone, git, gitRepo, sandbox, writeTree, type Sandbox } from '@blue/testkit';
import { addWorktree, defaultBranch, excludeWorktreesDir, gitDirsAt, listWorktrees, worktreesFromFiles } from '@blue/git';
import { project } from './project.js';

async function commitIn(box: Sandbox, dir: string, path: string): Promise<string> {
  await writeTree(dir, { [path]: path });
  await git(box, dir, ['add', '--all']);
  await git(box, dir, ['commit', '--quiet', '-m', `add ${path}`]);
  return git(box, dir, ['rev-parse', 'HEAD']);
}

/** Everything a refused call must not change: refs, worktrees, status. */
async function snapshot(box: Sandbox, repo: string): Promise<string[]> {
  return [
    await git(box, repo, ['for-each-ref', '--format=%(refname) %(objectname)']),
    await git(box, repo, ['worktree', 'list', '--porcelain']),
    await git(box, repo, ['status', '--porcelain', '--untracked-files=all', '--ignored']),
  ];
}

describe('defaultBranch', () => {
  it('follows origin/HEAD, else the main worktree’s branch, also from a linked worktree', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const env = box.env;
    expect(await defaultBranch(repo, { env })).toBe('main');
    await git(box, repo, ['branch', 'develop']);
    await git(box, repo, ['update-ref', 'refs/remotes/origin/develop', 'develop']);
    await git(box, repo, ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/develop']);
    expect(await defaultBranch(repo, { env })).toBe('develop');

    const local = await gitRepo(box, { a: 'a' }, { origin: await bareRemote(box) });
    await git(box, local, ['branch', '-m', 'trunk']);
    expect(await defaultBranch(local, { env })).toBe('trunk');
    const wt = await addWorktree(local, { path: '.worktrees/feat-x', branch: 'feat/x' }, { env });
    expect(await defaultBranch(wt.path, { env })).toBe('trunk');
  });
});

describe('worktreesFromFiles', () => {
  /** What the files say, from `dir` (a worktree's top folder), next to what `git worktree list` says. */
  async function both(dir: string, env: NodeJS.ProcessEnv): Promise<{ files: unknown; git: unknown }> {
    const dirs = await gitDirsAt(dir, env);
    if (dirs === undefined) throw new Error(`no git folders at ${dir}`);
    const real = async (entries: Awaited<ReturnType<typeof listWorktrees>> | undefined): Promise<unknown> =>
      entries === undefined ? undefined : Promise.all(entries.map(async (e) => ({ ...e, path: await realpath(e.path).catch(() => e.path) })));
    return { files: await real(await worktreesFromFiles(dirs)), git: await real(await listWorktrees(dir, { env })) };
  }

  it('says what `git worktree list` says: branches, detached, locked, prunable, packed and missing branches, from any worktree', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const env = box.env;
    const check = async (dir = repo): Promise<void> => {
      const { files, git: listed } = await both(dir, env);
      expect(files).toEqual(listed);
    };
    await check();
    await git(box, repo, ['worktree', 'add', '--quiet', '-b', 'feat/x', '.worktrees/feat-x']);
    await git(box, repo, ['worktree', 'add', '--quiet', '--detach', '.worktrees/detached']);
    await git(box, repo, ['worktree', 'add', '--quiet', '-b', 'feat/gone', '.worktrees/gone']);
    await git(box, repo, ['worktree', 'add', '--quiet', '-b', 'feat/deleted', '.worktrees/deleted']);
    await check();
    await check(join(repo, '.worktrees', 'feat-x'));
    await git(box, repo, ['worktree', 'lock', '--reason', 'on a usb disk', '.worktrees/detached']);
    await writeFile(join(repo, '.git', 'worktrees', 'feat-x', 'locked'), 'initializing\n');
    await check();
    // With a focus: the main worktree, the one at the path and those on the branch, as git lists them.
    const dirs = await gitDirsAt(repo, env);
    if (dirs === undefined) throw new Error('no git folders');
    const all = await listWorktrees(repo, { env });
    const at = await realpath(join(repo, '.worktrees', 'detached'));
    expect(await worktreesFromFiles(dirs, { path: at, branch: 'feat/x' })).toEqual([all[0], ...all.slice(1).filter((w) => w.path === at || w.branch === 'feat/x')]);
    expect(await worktreesFromFiles(dirs, { path: join(repo, 'elsewhere'), branch: 'feat/none' })).toEqual([all[0]]);
    // A folder deleted: prunable; a checked-out branch deleted: no head; refs packed.
    await rm(join(repo, '.worktrees', 'deleted'), { recursive: true });
    await git(box, repo, ['update-ref', '-d', 'refs/heads/feat/gone']);
    await git(box, repo, ['pack-refs', '--all']);
    await check();
    expect(((await both(repo, env)).files as Array<{ prunable: boolean; head: string }>).map((w) => [w.prunable, w.head === ''])).toEqual(
      expect.arrayContaining([[true, false], [false, true]]),
    );
  });

  it('leaves to git what the files cannot say for certain', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    await git(box, repo, ['worktree', 'add', '--quiet', '-b', 'feat/x', '.worktrees/feat-x']);
    const dirs = await gitDirsAt(repo, box.env);
    if (dirs === undefined) throw new Error('no git folders');
    expect(await worktreesFromFiles(dirs)).toHaveLength(2);
    // A relative gitdir (newer git's worktree.useRelativePaths).
    const gitdir = join(dirs.commonDir, 'worktrees', 'feat-x', 'gitdir');
    const absolute = await readFile(gitdir, 'utf8');
    await writeFile(gitdir, '../../../.worktrees/feat-x/.git\n');
    expect(await worktreesFromFiles(dirs)).toBeUndefined();
    await writeFile(gitdir, absolute);
    // The config may say the repository is bare.
    await git(box, repo, ['config', 'core.bare', 'true']);
    expect(await worktreesFromFiles(dirs)).toBeUndefined();
    await git(box, repo, ['config', 'core.bare', 'false']);
    expect(await worktreesFromFiles(dirs)).toHaveLength(2);
    // A HEAD that is neither a branch nor a commit.
    await writeFile(join(dirs.commonDir, 'worktrees', 'feat-x', 'HEAD'), 'ref: refs/remotes/origin/main\n');
    expect(await worktreesFromFiles(dirs)).toBeUndefined();
  });
});

describe('addWorktree', () => {
  it('creates a worktree on a new branch from the default branch, then changes nothing when run again', async () => {
    const box = await sandbox();
    const { repo, main } = await project(box);
    const env = box.env;
    const first = await addWorktree(repo, { path: '.worktrees/feat-training-metrics-v2', branch: 'feat/training-metrics-v2' }, { env });
    const path = join(repo, '.worktrees', 'feat-training-metrics-v2');
    expect(first).toEqual({ path, branch: 'feat/training-metrics-v2', created: true, branchCreated: true, head: main });
    expect(await git(box, path, ['symbolic-ref', '--short', 'HEAD'])).toBe('feat/training-metrics-v2');
    expect(await readFile(join(path, 'README.md'), 'utf8')).toBe('hello\n');
    // Not tracking origin/main: a plain `git push` must never land on main.
    expect(await git(box, repo, ['config', '--default', 'none', '--get', 'branch.feat/training-metrics-v2.merge'])).toBe('none');

    const before = await snapshot(box, repo);
    const again = await addWorktree(repo, { path, branch: 'feat/training-metrics-v2' }, { env });
    expect(again).toEqual({ ...first, created: false, branchCreated: false });
    expect(await snapshot(box, repo)).toEqual(before);
    expect((await listWorktrees(repo, { env })).map((w) => [w.path, w.branch, w.head])).toEqual([
      [repo, 'main', main],
      [path, 'feat/training-metrics-v2', main],
    ]);
  });

  it('starts from origin/<default> when the local branch only lags behind it, and from an explicit base', async () => {
    const box = await sandbox();
    const { remote, repo, main } = await project(box);
    const other = await clone(box, remote);
    const newer = await commitIn(box, other, 'b.txt');
    await git(box, other, ['push', '--quiet', 'origin', 'main']);
    await git(box, repo, ['fetch', '--quiet', 'origin']);
    expect(await addWorktree(repo, { path: '.worktrees/a', branch: 'feat/a' }, { env: box.env })).toMatchObject({ head: newer });
    expect(await addWorktree(repo, { path: '.worktrees/b', branch: 'feat/b', base: main }, { env: box.env })).toMatchObject({ head: main });
    // Local commits not pushed yet: the local branch is ahead, so it is the base.
    const local = await commitIn(box, repo, 'c.txt');
    expect(await addWorktree(repo, { path: '.worktrees/c', branch: 'feat/c' }, { env: box.env })).toMatchObject({ head: local });
  });

  it('reuses a branch left by a run killed before its worktree existed, and one with work on it', async () => {
    const box = await sandbox();
    const { repo, main } = await project(box);
    const env = box.env;
    await git(box, repo, ['branch', 'feat/x']);
    const reused = await addWorktree(repo, { path: '.worktrees/feat-x', branch: 'feat/x' }, { env });
    expect(reused).toMatchObject({ created: true, branchCreated: false, head: main });

    await git(box, repo, ['branch', 'feat/y']);
    await commitIn(box, repo, 'later.txt'); // main moves on: feat/y is behind it, still ours
    const work = await git(box, repo, ['commit-tree', '-p', 'feat/y', '-m', 'work', 'feat/y^{tree}']);
    await git(box, repo, ['update-ref', 'refs/heads/feat/z', work]);
    expect(await addWorktree(repo, { path: '.worktrees/feat-y', branch: 'feat/y' }, { env })).toMatchObject({ created: true, head: main });
    expect(await addWorktree(repo, { path: '.worktrees/feat-z', branch: 'feat/z', base: main }, { env })).toMatchObject({ created: true, branchCreated: false, head: work });
  });

  it('finishes a worktree whose `git worktree add` was killed, and recreates one whose folder was deleted', async () => {
    const box = await sandbox();
    const { repo, main } = await project(box);
    const env = box.env;
    const wt = await addWorktree(repo, { path: '.worktrees/feat-x', branch: 'feat/x' }, { env });
    // What git leaves when killed mid-checkout: the admin folder locked "initializing", files missing.
    await writeFile(join(repo, '.git', 'worktrees', 'feat-x', 'locked'), 'initializing');
    await rm(join(wt.path, 'README.md'));
    expect((await listWorktrees(repo, { env }))[1]).toMatchObject({ locked: true, lockReason: 'initializing' });
    expect(await addWorktree(repo, { path: wt.path, branch: 'feat/x' }, { env })).toMatchObject({ created: true, branchCreated: false, head: main });
    expect(await readFile(join(wt.path, 'README.md'), 'utf8')).toBe('hello\n');
    expect((await listWorktrees(repo, { env }))[1]).toMatchObject({ locked: false, prunable: false, branch: 'feat/x' });

    await rm(wt.path, { recursive: true });
    expect((await listWorktrees(repo, { env }))[1]).toMatchObject({ prunable: true });
    expect(await addWorktree(repo, { path: wt.path, branch: 'feat/x' }, { env })).toMatchObject({ created: true, head: main });
    expect(await listWorktrees(repo, { env })).toHaveLength(2);
  });

  it('refuses a path in the way with DIRTY_WORKTREE, changing nothing', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const env = box.env;
    const path = join(repo, '.worktrees', 'feat-x');
    await writeTree(path, { 'notes.txt': 'mine' });
    const before = await snapshot(box, repo);
    await expect(addWorktree(repo, { path, branch: 'feat/x' }, { env })).rejects.toMatchObject({
      code: 'DIRTY_WORKTREE',
      message: expect.stringContaining('folder with files that is not a worktree'),
      hint: expect.stringContaining('Move or remove'),
    });
    await rm(path, { recursive: true });
    await mkdir(join(repo, '.worktrees'), { recursive: true });
    await writeFile(path, 'a file');
    await expect(addWorktree(repo, { path, branch: 'feat/x' }, { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('it is a file') });
    await rm(path);
    // Another repository's worktree at that path.
    const other = await gitRepo(box, { a: 'a' });
    await git(box, other, ['worktree', 'add', '--quiet', '-b', 'feat/x', path]);
    await expect(addWorktree(repo, { path, branch: 'feat/x' }, { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE' });
    await git(box, other, ['worktree', 'remove', path]);
    await writeTree(path, {});
    expect(await git(box, repo, ['branch', '--list', 'feat/x'])).toBe('');
    expect((await snapshot(box, repo))[0]).toEqual(before[0]);
    // An empty folder is fine: git fills it.
    await mkdir(path, { recursive: true });
    expect(await addWorktree(repo, { path, branch: 'feat/x' }, { env })).toMatchObject({ created: true });
  });

  it('refuses a worktree of this repo on another branch, a branch checked out elsewhere, and unrelated work', async () => {
    const box = await sandbox();
    const { repo, main } = await project(box);
    const env = box.env;
    await addWorktree(repo, { path: '.worktrees/a', branch: 'feat/a' }, { env });
    const before = await snapshot(box, repo);
    await expect(addWorktree(repo, { path: '.worktrees/a', branch: 'feat/b' }, { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('on branch feat/a') });
    await expect(addWorktree(repo, { path: '.worktrees/other', branch: 'feat/a' }, { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('already checked out in') });
    await expect(addWorktree(repo, { path: '.worktrees/main', branch: 'main' }, { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE' });
    await expect(addWorktree(repo, { path: repo, branch: 'feat/c' }, { env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('on branch main') });
    expect(await snapshot(box, repo)).toEqual(before);

    // feat/u: someone's work from an older main, and main has moved on since: not ours to take.
    await git(box, repo, ['branch', 'feat/u']);
    const theirs = await git(box, repo, ['commit-tree', '-p', main, '-m', 'their work', `${main}^{tree}`]);
    await git(box, repo, ['update-ref', 'refs/heads/feat/u', theirs]);
    await commitIn(box, repo, 'later.txt');
    const beforeUnrelated = await snapshot(box, repo);
    await expect(addWorktree(repo, { path: '.worktrees/u', branch: 'feat/u' }, { env })).rejects.toMatchObject({
      code: 'DIRTY_WORKTREE',
      message: expect.stringContaining('not based on refs/heads/main'),
    });
    expect(await snapshot(box, repo)).toEqual(beforeUnrelated);
    expect(await addWorktree(repo, { path: '.worktrees/u', branch: 'feat/u', adoptBranch: true }, { env })).toMatchObject({ created: true, head: theirs });
  });

  it('refuses an invalid branch name or an unknown base with VALUE_INVALID', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const before = await snapshot(box, repo);
    await expect(addWorktree(repo, { path: '.worktrees/x', branch: 'feat/../x' }, { env: box.env })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
    await expect(addWorktree(repo, { path: '.worktrees/x', branch: 'feat/x', base: 'nope' }, { env: box.env })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
    await expect(addWorktree(repo, { path: '.worktrees/x', branch: 'feat/x', base: '--orphan' }, { env: box.env })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
    expect(await snapshot(box, repo)).toEqual(before);
  });
});

describe('excludeWorktreesDir', () => {
  it('adds /.worktrees/ to info/exclude once, also when called from a worktree', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const env = box.env;
    const file = join(repo, '.git', 'info', 'exclude');
    await writeFile(file, '# mine\n*.tmp');
    expect(await excludeWorktreesDir(repo, undefined, { env })).toEqual({ file, added: true });
    const wt = await addWorktree(repo, { path: '.worktrees/feat-x', branch: 'feat/x' }, { env });
    expect(await excludeWorktreesDir(wt.path, '.worktrees', { env })).toEqual({ file, added: false });
    expect(await excludeWorktreesDir(repo, undefined, { env })).toEqual({ file, added: false });
    expect(await readFile(file, 'utf8')).toBe('# mine\n*.tmp\n/.worktrees/\n');
    expect(await git(box, repo, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    await expect(excludeWorktreesDir(repo, '../x', { env })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
  });

  it('creates info/exclude when it is missing', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    await rm(join(repo, '.git', 'info'), { recursive: true, force: true });
    expect(await excludeWorktreesDir(repo, 'trees', { env: box.env })).toMatchObject({ added: true });
    expect(await readFile(join(repo, '.git', 'info', 'exclude'), 'utf8')).toBe('/trees/\n');
  });
});
