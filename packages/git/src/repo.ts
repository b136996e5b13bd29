import { BlueError } from '@blue/core';
import { localValue, readLocalConfig } from './config-file.js';
import { gitDirsAt, headOfWorktree } from './paths.js';
import { repoRootFromFiles } from './repo-root.js';
import { runGit, type GitOptions } from './run.js';

/** Creates a repository in `dir` (which must exist) on branch `main` unless told otherwise. */
export async function initRepo(dir: string, options: GitOptions & { branch?: string } = {}): Promise<void> {
  await runGit(dir, ['init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`], options);
}

/** The top folder of the repository containing `dir`, or undefined outside a repository. */
export async function findRepoRoot(dir: string, options: GitOptions = {}): Promise<string | undefined> {
  const found = await repoRootFromFiles(dir, options.env);
  if (found !== undefined) return found;
  const result = await runGit(dir, ['rev-parse', '--show-toplevel'], { okExitCodes: [128], ...options });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The top folder of the repository containing `dir`; NOT_A_REPO outside one. */
export async function repoRoot(dir: string, options: GitOptions = {}): Promise<string> {
  const root = await findRepoRoot(dir, options);
  if (root === undefined) {
    throw new BlueError('NOT_A_REPO', `${dir} is not inside a git repository.`, {
      hint: 'Run the command inside a git repository (or pass --cwd), or `git init` one first.',
    });
  }
  return root;
}

/** The checked-out branch, or undefined when HEAD is detached. */
export async function currentBranch(dir: string, options: GitOptions = {}): Promise<string | undefined> {
  // At a worktree's top, HEAD's file says it.
  const dirs = await gitDirsAt(dir, options.env);
  const head = dirs === undefined ? undefined : await headOfWorktree(dirs);
  if (head !== undefined) return 'branch' in head ? head.branch : undefined;
  const result = await runGit(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { okExitCodes: [1], ...options });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The full SHA of HEAD, or undefined in a repository with no commits yet. */
export async function headSha(dir: string, options: GitOptions = {}): Promise<string | undefined> {
  const result = await runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okExitCodes: [1], ...options });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** A git config value as git resolves it for `dir` (repo, then global, then system). */
export async function configValue(dir: string, key: string, options: GitOptions = {}): Promise<string | undefined> {
  // At a worktree's top, the repository's own config file settles most keys (see config-file.ts).
  const dirs = await gitDirsAt(dir, options.env);
  const local = dirs === undefined ? undefined : localValue(await readLocalConfig(dirs, options.env), key);
  if (local !== undefined) return local === '' ? undefined : local;
  const result = await runGit(dir, ['config', '--get', key], { okExitCodes: [1], ...options });
  const value = result.stdout.trim();
  return result.exitCode === 0 && value !== '' ? value : undefined;
}

/** The email git would use for a commit in `dir`, from the environment or config. */
export async function userEmail(dir: string, options: GitOptions = {}): Promise<string | undefined> {
  return (options.env ?? process.env).GIT_AUTHOR_EMAIL || (await configValue(dir, 'user.email', options));
}

/** The URL of a remote, or undefined when the remote does not exist. */
export async function remoteUrl(dir: string, remote = 'origin', options: GitOptions = {}): Promise<string | undefined> {
  const result = await runGit(dir, ['remote', 'get-url', '--', remote], { okExitCodes: [2, 128], ...options });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

