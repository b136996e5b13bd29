import { BlueError } from '@blue/core';
import { gitOutput, runGit } from './run.js';

/** Creates a repository in `dir` (which must exist) on branch `main` unless told otherwise. */
export async function initRepo(dir: string, options: { branch?: string } = {}): Promise<void> {
  await runGit(dir, ['init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`]);
}

/** The top folder of the repository containing `dir`, or undefined outside a repository. */
export async function findRepoRoot(dir: string): Promise<string | undefined> {
  const result = await runGit(dir, ['rev-parse', '--show-toplevel'], { okExitCodes: [128] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The top folder of the repository containing `dir`; NOT_A_REPO outside one. */
export async function repoRoot(dir: string): Promise<string> {
  const root = await findRepoRoot(dir);
  if (root === undefined) {
    throw new BlueError('NOT_A_REPO', `${dir} is not inside a git repository.`, {
      hint: 'Run the command inside a git repository (or pass --cwd), or `git init` one first.',
    });
  }
  return root;
}

/** The checked-out branch, or undefined when HEAD is detached. */
export async function currentBranch(dir: string): Promise<string | undefined> {
  const result = await runGit(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The full SHA of HEAD, or undefined in a repository with no commits yet. */
export async function headSha(dir: string): Promise<string | undefined> {
  const result = await runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** A git config value as git resolves it for `dir` (repo, then global, then system). */
export async function configValue(dir: string, key: string): Promise<string | undefined> {
  const result = await runGit(dir, ['config', '--get', key], { okExitCodes: [1] });
  const value = result.stdout.trim();
  return result.exitCode === 0 && value !== '' ? value : undefined;
}

/** The email git would use for a commit in `dir`, from the environment or config. */
export async function userEmail(dir: string, env: Record<string, string | undefined> = process.env): Promise<string | undefined> {
  return env.GIT_AUTHOR_EMAIL || (await configValue(dir, 'user.email'));
}

/** The URL of a remote, or undefined when the remote does not exist. */
export async function remoteUrl(dir: string, remote = 'origin'): Promise<string | undefined> {
  const result = await runGit(dir, ['remote', 'get-url', '--', remote], { okExitCodes: [2, 128] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

