import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { BlueError, globMatcher, hasErrno, type SourceFile } from '@blue/core';
import { runGit } from '@blue/git';
import type { Env } from '../context.js';

/** Files larger than this are never read (generated data, bundles, datasets). */
export const MAX_SOURCE_BYTES = 1024 * 1024;
/** How many files are read at once. */
const READ_CONCURRENCY = 32;
/** Bytes checked for a NUL to call a file binary (git's own heuristic looks at 8000). */
const BINARY_PROBE = 8000;
/** Extensions skipped without opening the file. */
const BINARY_EXTENSIONS = new Set(
  'png jpg jpeg gif bmp ico webp tif tiff psd pdf zip gz tgz bz2 xz 7z rar jar war whl egg so dylib dll exe bin o a class pyc pyo wasm woff woff2 ttf otf eot mp3 mp4 mov avi mkv wav flac ogg npy npz pt pth onnx h5 hdf5 parquet feather pkl pickle sqlite db'.split(' '),
);

export interface ReadSourcesOptions {
  /** Only paths matching one of these globs (default: every tracked file). See globMatcher. */
  include?: readonly string[] | undefined;
  /** Never paths matching one of these globs. */
  exclude?: readonly string[] | undefined;
  /** Skip files whose bytes do not contain this text (checked before decoding, e.g. 's3://'). */
  mustContain?: string | undefined;
}

/**
 * The files git tracks in `repo` (paths relative to it, `/`-separated, sorted as git lists them),
 * from one `git ls-files -z` process. Untracked and ignored files are never listed.
 */
export async function listTrackedFiles(repo: string, env: Env): Promise<string[]> {
  const { stdout } = await runGit(repo, ['ls-files', '-z', '--cached'], { env });
  // An unmerged path is listed once per stage; list it once (`--deduplicate` needs git 2.31).
  return [...new Set(stdout.split('\0'))].filter((path) => path !== '');
}

/**
 * The text of the tracked files of `repo` that pass include/exclude and `mustContain`; binary
 * (a NUL in the first 8000 bytes, or a known binary extension), larger than 1 MiB, missing from
 * the worktree, or not regular files (submodules, folders) are skipped. Reads at most 32 files at
 * once; the result is in `git ls-files` order.
 */
export async function readTrackedSources(repo: string, env: Env, options: ReadSourcesOptions = {}): Promise<SourceFile[]> {
  const sources: SourceFile[] = [];
  await forEachTrackedSource(repo, env, { ...options, visit: (source, index) => void (sources[index] = source) });
  return sources.filter((source) => source !== undefined);
}

export interface VisitSourcesOptions extends ReadSourcesOptions {
  /** Called once per readable file, in completion order; `index` is its place in ls-files order. */
  visit: (source: SourceFile, index: number) => void;
}

/** Streams the tracked sources of `repo` to `visit` without holding them all in memory. */
export async function forEachTrackedSource(repo: string, env: Env, options: VisitSourcesOptions): Promise<void> {
  const include = options.include && options.include.length > 0 ? globMatcher(options.include) : undefined;
  const exclude = options.exclude && options.exclude.length > 0 ? globMatcher(options.exclude) : undefined;
  const paths = (await listTrackedFiles(repo, env)).filter(
    (path) => !hasBinaryExtension(path) && (include?.(path) ?? true) && !(exclude?.(path) ?? false),
  );
  const needle = options.mustContain === undefined || options.mustContain === '' ? undefined : Buffer.from(options.mustContain);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      const path = paths[index] as string;
      const text = await readSourceText(join(repo, path), needle);
      if (text !== undefined) options.visit({ path, text }, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
}

function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/** A file's text, or undefined when it must be skipped (see readTrackedSources). */
async function readSourceText(file: string, needle: Buffer | undefined): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    // Deleted in the worktree, a submodule folder, or a symlink to nowhere: nothing to read.
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'EISDIR') || hasErrno(err, 'ENOTDIR') || hasErrno(err, 'ELOOP')) return undefined;
    // No code says "unreadable" yet; PATH_NOT_WRITABLE is the state error closest to it.
    throw new BlueError('PATH_NOT_WRITABLE', `Could not read ${file}: ${(err as Error).message}`, {
      hint: 'Check the file permissions, or exclude the file from detection with `exclude` in .blue/exports.yaml.',
      cause: err,
    });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_SOURCE_BYTES) return undefined;
    const bytes = await handle.readFile();
    if (bytes.subarray(0, BINARY_PROBE).includes(0)) return undefined;
    if (needle !== undefined && !bytes.includes(needle)) return undefined;
    return bytes.toString('utf8');
  } catch (err) {
    if (hasErrno(err, 'EISDIR')) return undefined;
    throw err;
  } finally {
    await handle.close();
  }
}
