import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Sandbox } from './temp.js';

const exec = promisify(execFile);

/** Runs git in `cwd` with the sandbox's environment and returns trimmed stdout. */
export async function git(box: Sandbox, cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await exec('git', [...args], { cwd, env: box.env, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** Writes files (path -> content) under `dir`, creating folders as needed. */
export async function writeTree(dir: string, tree: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(tree)) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

export interface GitRepoOptions {
  /** Folder name under the sandbox root (default: repo-N). */
  name?: string;
  /** Commit the tree (default true when the tree has files). */
  commit?: boolean;
  /** A remote named origin with this URL. */
  origin?: string;
}

let counter = 0;

/** A git repo on branch main holding `tree`, committed, inside the sandbox. */
export async function gitRepo(box: Sandbox, tree: Record<string, string> = {}, options: GitRepoOptions = {}): Promise<string> {
  const dir = join(box.root, options.name ?? `repo-${++counter}`);
  await mkdir(dir, { recursive: true });
  await git(box, dir, ['init', '--quiet', '--initial-branch=main']);
  await writeTree(dir, tree);
  if (options.origin) await git(box, dir, ['remote', 'add', 'origin', options.origin]);
  if (options.commit ?? Object.keys(tree).length > 0) {
    await git(box, dir, ['add', '--all']);
    await git(box, dir, ['commit', '--quiet', '-m', 'initial']);
  }
  return dir;
}

/** An empty bare repository to push to, as a local path usable as a remote URL. */
export async function bareRemote(box: Sandbox, name = `remote-${++counter}.git`): Promise<string> {
  const dir = join(box.root, 'remotes', name);
  await mkdir(dir, { recursive: true });
  await git(box, dir, ['init', '--quiet', '--bare', '--initial-branch=main']);
  return dir;
}

/** Clones `url` into a new folder under the sandbox root. */
export async function clone(box: Sandbox, url: string, name = `clone-${++counter}`): Promise<string> {
  const dir = join(box.root, name);
  await git(box, box.root, ['clone', '--quiet', url, dir]);
  return dir;
}
