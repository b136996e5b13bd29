// The shortcuts that save git processes in realm-wide commands (run.ts spawning git itself, ref
// and state files read instead of asking git, git's own output reused) must answer exactly what
// the git commands they replace would: these tests put repositories in the states where the
// shortcut and git could disagree.
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clone, git, gitRepo, sandbox, writeTree } from '@blue/testkit';
import { addWorktree, commitAllIn, configValue, currentBranch, excludeWorktreesDir, findRepoRoot, parseSimpleConfig, pushBranchTo, repoRootFromFiles, resolveUpstream, runGit, storedRefNames } from '@blue/git';
import { project } from './project.js';

describe('runGit', () => {
  it('writes input to stdin, keeps the final newline, accepts okExitCodes and maps failures', async () => {
    const box = await sandbox();
    const dir = await gitRepo(box, { a: 'a' });
    const hashed = await runGit(dir, ['hash-object', '--stdin'], { env: box.env, input: 'hello' });
    expect(hashed).toEqual({ stdout: 'b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0\n', stderr: '', exitCode: 0 });
    expect(await runGit(dir, ['diff', '--quiet', 'HEAD', '--', 'a'], { env: box.env, okExitCodes: [1] })).toMatchObject({ exitCode: 0 });
    await writeFile(join(dir, 'a'), 'changed');
    expect(await runGit(dir, ['diff', '--quiet', 'HEAD', '--', 'a'], { env: box.env, okExitCodes: [1] })).toMatchObject({ exitCode: 1 });
    await expect(runGit(dir, ['diff', '--quiet', 'HEAD', '--', 'a'], { env: box.env })).rejects.toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('(exit 1)') });
    await expect(runGit(box.root, ['status'], { env: box.env })).rejects.toMatchObject({ code: 'NOT_A_REPO' });
    await expect(runGit(dir, ['--version'], { env: { ...box.env, PATH: join(box.root, 'no-bin') } })).rejects.toMatchObject({ code: 'GIT_FAILED', message: 'git was not found on PATH.' });
    await expect(runGit(join(box.root, 'gone'), ['status'], { env: box.env })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: `The folder ${join(box.root, 'gone')} does not exist.` });
    await expect(runGit(dir, ['a\0b'], { env: box.env })).rejects.toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('Could not run git') });
  });

  it('runs many git processes at once, each with its own output', async () => {
    const box = await sandbox();
    const dir = await gitRepo(box, { a: 'a' });
    const inputs = Array.from({ length: 40 }, (_, i) => `blob ${i}`.repeat(1000));
    const hashes = await Promise.all(inputs.map((input) => runGit(dir, ['hash-object', '--stdin'], { env: box.env, input })));
    const expected = await Promise.all(inputs.map(async (input, i) => {
      await writeFile(join(box.root, `blob-${i}`), input);
      return git(box, dir, ['hash-object', join(box.root, `blob-${i}`)]);
    }));
    expect(hashes.map((h) => h.stdout.trim())).toEqual(expected);
  });
});

describe('addWorktree reads refs from files as git would', () => {
  it('with every ref packed, a lagging local default branch and a branch that exists only packed', async () => {
    const box = await sandbox();
    const { remote, repo, main } = await project(box);
    const other = await clone(box, remote);
    await writeTree(other, { 'b.txt': 'b' });
    await git(box, other, ['add', '--all']);
    await git(box, other, ['commit', '--quiet', '-m', 'b']);
    await git(box, other, ['push', '--quiet', 'origin', 'main', 'main:feat/packed']);
    const newer = await git(box, other, ['rev-parse', 'HEAD']);
    await git(box, repo, ['fetch', '--quiet', 'origin']);
    await git(box, repo, ['branch', 'feat/kept', main]);
    await git(box, repo, ['pack-refs', '--all']);
    expect(await readFile(join(repo, '.git', 'packed-refs'), 'utf8')).toContain('refs/heads/feat/kept');
    expect(await addWorktree(repo, { path: '.worktrees/a', branch: 'feat/a' }, { env: box.env })).toMatchObject({ head: newer, branchCreated: true });
    expect(await git(box, join(repo, '.worktrees', 'a'), ['rev-parse', 'HEAD'])).toBe(newer);
    expect(await addWorktree(repo, { path: '.worktrees/kept', branch: 'feat/kept' }, { env: box.env })).toMatchObject({ head: main, branchCreated: false });
  });

  it('follows origin/HEAD to another branch, and asks git when a ref it needs is a symbolic one', async () => {
    const box = await sandbox();
    const { repo, main } = await project(box);
    await git(box, repo, ['update-ref', 'refs/remotes/origin/develop', main]);
    await git(box, repo, ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/develop']);
    expect(await addWorktree(repo, { path: '.worktrees/d', branch: 'feat/d' }, { env: box.env })).toMatchObject({ head: main });
    expect(await git(box, repo, ['reflog', '-1', '--format=%gs', 'feat/d'])).toContain('refs/remotes/origin/develop');
    // origin/HEAD → origin/trunk → origin/main: git follows the chain to main (as symbolic-ref
    // does); the files only show the first link, so git is asked.
    await git(box, repo, ['symbolic-ref', 'refs/remotes/origin/trunk', 'refs/remotes/origin/main']);
    await git(box, repo, ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk']);
    expect(await addWorktree(repo, { path: '.worktrees/t', branch: 'feat/t' }, { env: box.env })).toMatchObject({ head: main, created: true });
    expect(await git(box, repo, ['reflog', '-1', '--format=%gs', 'feat/t'])).toBe('branch: Created from refs/heads/main');
  });

  it('asks git where the repository is when GIT_DIR points elsewhere', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const env = { ...box.env, GIT_DIR: join(repo, '.git') };
    const sub = join(repo, 'sub');
    await mkdir(sub);
    expect(await excludeWorktreesDir(sub, 'trees', { env })).toEqual({ file: join(repo, '.git', 'info', 'exclude'), added: true });
  });
});

describe('commitAllIn takes the files from git status', () => {
  it('says what `git add --all` staged, also when changes cancel out or a nested repository is added', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const { path: wt } = await addWorktree(repo, { path: '.worktrees/x', branch: 'feat/x' }, { env: box.env });
    // Staged, then put back as HEAD has it: nothing to commit.
    await writeTree(wt, { 'README.md': 'staged\n' });
    await git(box, wt, ['add', 'README.md']);
    await writeTree(wt, { 'README.md': 'hello\n' });
    expect(await commitAllIn(wt, 'm', { env: box.env })).toEqual({ committed: false, files: [] });
    // Staged, then changed again: committed, once.
    await writeTree(wt, { 'README.md': 'one\n' });
    await git(box, wt, ['add', 'README.md']);
    await writeTree(wt, { 'README.md': 'two\n', 'a.b': 'x', 'a/b': 'y', 'ünï.txt': 'u' });
    const nested = join(wt, 'nested');
    await mkdir(nested);
    await git(box, nested, ['init', '--quiet']);
    await git(box, nested, ['commit', '--quiet', '--allow-empty', '-m', 'n']);
    const made = await commitAllIn(wt, 'm', { env: box.env });
    expect(made).toEqual({ committed: true, sha: await git(box, wt, ['rev-parse', 'HEAD']), files: ['README.md', 'a.b', 'a/b', 'nested', 'ünï.txt'] });
    expect((await git(box, wt, ['diff-tree', '-r', '--name-only', '-z', '--no-commit-id', 'HEAD'])).split('\0').filter(Boolean)).toEqual(made.files);
  });

  it('asks git for the state files and the new SHA when GIT_DIR and GIT_WORK_TREE are set', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    await writeTree(repo, { 'c.txt': 'c' });
    const env = { ...box.env, GIT_DIR: join(repo, '.git'), GIT_WORK_TREE: repo };
    const made = await commitAllIn(repo, 'c', { env });
    expect(made).toMatchObject({ committed: true, sha: await git(box, repo, ['rev-parse', 'HEAD']), files: ['c.txt'] });
  });
});

describe('pushBranchTo', () => {
  it('reads the head of a branch that is only in packed-refs', async () => {
    const box = await sandbox();
    const { remote, repo, main } = await project(box);
    await git(box, repo, ['branch', 'feat/p']);
    await git(box, repo, ['pack-refs', '--all']);
    expect(await pushBranchTo(repo, 'feat/p', { env: box.env })).toMatchObject({ pushed: true, head: main });
    expect(await git(box, remote, ['rev-parse', 'feat/p'])).toBe(main);
  });

  it('refuses a remote name git does not know before pushing, also when a folder of that name is a repository', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    await git(box, repo, ['branch', 'feat/q']);
    const decoy = join(repo, 'upstream');
    await mkdir(decoy);
    await git(box, decoy, ['init', '--quiet', '--bare']);
    await expect(pushBranchTo(repo, 'feat/q', { env: box.env, remote: 'upstream' })).rejects.toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('no remote named "upstream"') });
    await expect(git(box, decoy, ['rev-parse', '--verify', '--quiet', 'refs/heads/feat/q'])).rejects.toThrow();
  });
});

describe('findRepoRoot answers from the file system as git rev-parse --show-toplevel would', () => {
  it('at the top, in a subfolder, through a symlink, in a nested repo and in a linked worktree', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    await mkdir(join(repo, 'a', 'b'), { recursive: true });
    const inner = join(repo, 'a', 'inner');
    await mkdir(inner);
    await git(box, inner, ['init', '--quiet']);
    await symlink(join(repo, 'a'), join(box.root, 'link'));
    await git(box, repo, ['worktree', 'add', '--quiet', '-b', 'wt', join(box.root, 'wt')]);
    await mkdir(join(box.root, 'wt', 'sub'));
    for (const dir of [repo, join(repo, 'a', 'b'), join(box.root, 'link', 'b'), inner, join(box.root, 'wt', 'sub')]) {
      const expected = await git(box, dir, ['rev-parse', '--show-toplevel']);
      expect(await repoRootFromFiles(dir, box.env), dir).toBe(expected);
      expect(await findRepoRoot(dir, { env: box.env }), dir).toBe(expected);
    }
  });

  it('leaves to git what the files cannot settle: inside .git, core.worktree, GIT_DIR, outside any repository', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    expect(await repoRootFromFiles(join(repo, '.git', 'refs'), box.env)).toBeUndefined();
    expect(await findRepoRoot(join(repo, '.git', 'refs'), { env: box.env })).toBeUndefined();
    expect(await repoRootFromFiles(repo, { ...box.env, GIT_DIR: join(repo, '.git') })).toBeUndefined();
    const outside = join(box.root, 'outside');
    await mkdir(outside);
    expect(await findRepoRoot(outside, { env: box.env })).toBeUndefined();
    const elsewhere = join(box.root, 'elsewhere');
    await mkdir(elsewhere);
    await git(box, repo, ['config', 'core.worktree', elsewhere]);
    expect(await repoRootFromFiles(repo, box.env)).toBeUndefined();
    expect(await findRepoRoot(join(repo, '.git', '..'), { env: box.env })).toBe(await git(box, repo, ['rev-parse', '--show-toplevel']));
  });
});

describe('currentBranch reads HEAD as git symbolic-ref would', () => {
  it('on a branch with a slash, detached, in a subfolder and in a linked worktree', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const asGit = async (dir: string): Promise<string | undefined> => (await runGit(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { env: box.env, okExitCodes: [1] })).stdout.trim() || undefined;
    await git(box, repo, ['switch', '--quiet', '-c', 'feat/x']);
    await mkdir(join(repo, 'sub'));
    await git(box, repo, ['worktree', 'add', '--quiet', '-b', 'other', join(box.root, 'wt')]);
    for (const dir of [repo, join(repo, 'sub'), join(box.root, 'wt')]) expect(await currentBranch(dir, { env: box.env }), dir).toBe(await asGit(dir));
    expect(await currentBranch(repo, { env: box.env })).toBe('feat/x');
    await git(box, repo, ['switch', '--quiet', '--detach']);
    expect(await asGit(repo)).toBeUndefined();
    expect(await currentBranch(repo, { env: box.env })).toBeUndefined();
  });
});

describe('the repository config file read as git config would', () => {
  it('answers what git answers for plain files, and says nothing (git is asked) for what it does not follow', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const configFile = join(repo, '.git', 'config');
    const original = await readFile(configFile, 'utf8');
    // GIT_CONFIG_COUNT=0 adds nothing to git's answer but makes configValue ask git: the reference.
    const asGit = (key: string) => configValue(repo, key, { env: { ...box.env, GIT_CONFIG_COUNT: '0' } });
    const keys = ['remote.origin.url', 'Remote.origin.URL', 'branch.main.remote', 'branch.main.merge', 'remote.origin.fetch', 'user.email', 'core.bare', 'remote.ORIGIN.url', 'x.y'];
    const variants = [
      original,
      `${original}[user]\n\temail = someone@example.com   \n`,
      `${original}[remote "origin"]\n\turl = /elsewhere\n`, // set twice: the last wins (git is asked)
      original.replace(/\turl = .*/, '\turl = "/quoted path"'),
      original.replace(/\turl = (.*)/, '\turl = $1 ; a comment'),
      original.replace(/\turl = (.*)/, '\turl = $1\t'),
      `${original}[include]\n\tpath = extra\n`,
      `${original}[remote.origin]\n\turl = /old-form\n`,
      original.replace('[remote "origin"]', '[REMOTE "origin"]'),
      `${original}[user]\n\temail =\n`,
    ];
    await writeFile(join(repo, '.git', 'extra'), '[remote "origin"]\n\turl = /included\n');
    for (const text of variants) {
      await writeFile(configFile, text);
      for (const key of keys) expect(await configValue(repo, key, { env: box.env }), `${key} in\n${text}`).toBe(await asGit(key));
    }
    await writeFile(configFile, original);
    expect(parseSimpleConfig(original)?.get('remote.origin.fetch')).toEqual(['+refs/heads/*:refs/remotes/origin/*']);
    expect(parseSimpleConfig(`${original}[include]\n\tpath = x\n`)).toBeUndefined();
    expect(parseSimpleConfig('[core]\n\tbare\n')).toBeUndefined();
  });

  it('resolveUpstream from the file equals git for a clone, another remote and branch, a local upstream, a custom refspec and none', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const viaGit = { env: { ...box.env, GIT_CONFIG_COUNT: '0' } };
    const same = async () => expect(await resolveUpstream(repo, { env: box.env })).toEqual(await resolveUpstream(repo, viaGit));
    await same();
    expect(await resolveUpstream(repo, { env: box.env })).toEqual({ remote: 'origin', branch: 'main', tracking: 'refs/remotes/origin/main' });
    await git(box, repo, ['remote', 'add', 'up', join(box.root, 'elsewhere.git')]);
    await git(box, repo, ['config', 'branch.main.remote', 'up']);
    await git(box, repo, ['config', 'branch.main.merge', 'refs/heads/trunk']);
    await same();
    await git(box, repo, ['config', 'branch.main.remote', '.']);
    await same();
    await git(box, repo, ['config', 'branch.main.remote', 'up']);
    await git(box, repo, ['config', 'remote.up.fetch', '+refs/heads/*:refs/remotes/mirror/*']);
    await same();
    await git(box, repo, ['config', '--unset', 'branch.main.remote']);
    await same();
    await git(box, repo, ['switch', '--quiet', '-c', 'feat/x']);
    await same();
  });
});

describe('storedRefNames lists refs as for-each-ref would', () => {
  it('loose, packed, both, under several remotes, at any depth; a reftable or a broken loose ref sends the caller to git', async () => {
    const box = await sandbox();
    const { repo } = await project(box);
    const head = await git(box, repo, ['rev-parse', 'HEAD']);
    const folders = ['refs/heads/blue/breaking/', 'refs/remotes/*/blue/breaking/'];
    const asGit = async () => (await git(box, repo, ['for-each-ref', '--format=%(refname)', 'refs/heads/blue/breaking/', 'refs/remotes/*/blue/breaking/**'])).split('\n').filter(Boolean).sort();
    const common = join(repo, '.git');
    const refs = ['refs/heads/blue/breaking/a/x@2.0.0', 'refs/remotes/origin/blue/breaking/a/x@2.0.0', 'refs/remotes/origin/blue/breaking/b/y@3.0.0', 'refs/remotes/up/blue/breaking/c/z@1.0.0', 'refs/remotes/origin/blue/breakingX/d/e@1.0.0', 'refs/heads/blue/other/a'];
    for (const ref of refs.slice(0, 3)) await git(box, repo, ['update-ref', ref, head]);
    expect(await storedRefNames(common, folders)).toEqual(await asGit());
    await git(box, repo, ['pack-refs', '--all']);
    for (const ref of refs.slice(3)) await git(box, repo, ['update-ref', ref, head]);
    expect(await storedRefNames(common, folders)).toEqual(await asGit());
    expect(await storedRefNames(common, folders)).toEqual(refs.slice(0, 4).sort());
    await git(box, repo, ['update-ref', '-d', 'refs/remotes/origin/blue/breaking/b/y@3.0.0']);
    expect(await storedRefNames(common, folders)).toEqual(await asGit());
    await mkdir(join(common, 'refs/heads/blue/breaking/a'), { recursive: true });
    await writeFile(join(common, 'refs/heads/blue/breaking/a/x@2.0.0.lock'), 'being written');
    expect(await storedRefNames(common, folders)).toEqual(await asGit());
    await writeFile(join(common, 'refs/heads/blue/breaking/a/x@2.0.0'), 'ref: refs/heads/main\n');
    expect(await storedRefNames(common, folders)).toBeUndefined();
  });
});
