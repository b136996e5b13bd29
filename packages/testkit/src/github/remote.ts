import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The commit a branch points at in a bare remote, or undefined when the branch does not exist. */
export async function branchSha(remote: string, branch: string): Promise<string | undefined> {
  if (branch.startsWith('-')) return undefined;
  try {
    const { stdout } = await exec('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: remote });
    return stdout.trim() || undefined;
  } catch (err) {
    // rev-parse --verify --quiet exits 1 with no output for a missing ref.
    if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 1) return undefined;
    throw err;
  }
}

/** How many commits `head` has that `base` does not. */
export async function commitsAhead(remote: string, base: string, head: string): Promise<number> {
  const { stdout } = await exec('git', ['rev-list', '--count', `refs/heads/${base}..refs/heads/${head}`], { cwd: remote });
  return Number(stdout.trim());
}

/** A made-up but stable sha for repos without a remote. */
export function fakeSha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A file's blob id and bytes at `ref` in a bare remote, or undefined when there is no such file. */
export async function fileAt(remote: string, ref: string, path: string): Promise<{ sha: string; content: Buffer } | undefined> {
  if (ref.startsWith('-') || path.startsWith('-')) return undefined;
  try {
    const { stdout: sha } = await exec('git', ['rev-parse', '--verify', '--quiet', `${ref}:${path}`], { cwd: remote });
    const { stdout: type } = await exec('git', ['cat-file', '-t', sha.trim()], { cwd: remote });
    if (type.trim() !== 'blob') return undefined;
    const { stdout: content } = await exec('git', ['cat-file', 'blob', sha.trim()], { cwd: remote, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    return { sha: sha.trim(), content };
  } catch (err) {
    if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 1) return undefined;
    throw err;
  }
}
