import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlueError, hasErrno, hasEscapedBytes, losslessBytes, type SourceFile } from '@blue/core';

/** Files larger than this are never read (generated data, bundles, datasets). */
export const MAX_SOURCE_BYTES = 1024 * 1024;
/** Bytes checked for a NUL to call a file binary (git's own heuristic looks at 8000). */
const BINARY_PROBE = 8000;
/** Extensions skipped without opening the file. */
const BINARY_EXTENSIONS = new Set(
  'png jpg jpeg gif bmp ico webp tif tiff psd pdf zip gz tgz bz2 xz 7z rar jar war whl egg so dylib dll exe bin o a class pyc pyo wasm woff woff2 ttf otf eot mp3 mp4 mov avi mkv wav flac ogg npy npz pt pth onnx h5 hdf5 parquet feather pkl pickle sqlite db'.split(' '),
);
/** Files read between two turns of the event loop (~1 ms of work), so a long-lived server stays responsive. */
const BATCH = 64;
/** Never follow a symlink at the file itself; never block on a FIFO. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface ReadRules {
  /** Skip files whose bytes contain none of these (checked before decoding); undefined: no filter. */
  needles?: readonly Buffer[] | undefined;
}

/**
 * Reads the tracked files `paths` (relative to `repo`, `/`-separated) and calls `visit` for each
 * one that counts as a source, with its index in `paths`, in order. A file counts when:
 * its extension is not a known binary one; it is reached from `repo` without a symlink (a folder
 * replaced by a symlink makes git itself see the files under it as deleted, and following it
 * could leave the repository); it is a regular file, not a symlink (never followed: the target may
 * be outside the repository or untracked), folder or FIFO; it is at most 1 MiB; it has no NUL in
 * its first 8000 bytes; and it contains one of `needles` when given. Missing files are skipped; any
 * other failure to read is PATH_NOT_WRITABLE naming the file.
 *
 * The reads are synchronous, in batches of 64 between turns of the event loop: one
 * open+fstat+read+close costs a few microseconds of system calls, while going through libuv's
 * thread pool costs four round trips per file (the profile behind bench/RESULTS.md: 5 s for 100k
 * files); the files read here are ones git has just read (page cache warm) or just changed.
 */
export async function readSources(repo: string, paths: readonly string[], rules: ReadRules, visit: (source: SourceFile, index: number) => void): Promise<void> {
  const folders = new Map<string, boolean>();
  for (let start = 0; start < paths.length; start += BATCH) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const end = Math.min(paths.length, start + BATCH);
    for (let index = start; index < end; index++) {
      const path = paths[index] as string;
      const text = readSourceText(repo, path, rules.needles, folders);
      if (text !== undefined) visit({ path, text }, index);
    }
  }
}

/** True for paths detection never opens (images, archives, compiled code, datasets, ...). */
export function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/** A file's text, or undefined when it must be skipped (see readSources). */
function readSourceText(repo: string, path: string, needles: readonly Buffer[] | undefined, folders: Map<string, boolean>): string | undefined {
  if (hasBinaryExtension(path)) return undefined;
  const slash = path.lastIndexOf('/');
  if (slash > 0 && !folderReachable(repo, path.slice(0, slash), folders)) return undefined;
  // A name that is not UTF-8 is opened by its bytes (git's output keeps them, see losslessUtf8).
  const file = hasEscapedBytes(path) ? Buffer.concat([Buffer.from(`${repo}/`), losslessBytes(path)]) : join(repo, path);
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    // Deleted in the worktree, a submodule folder, a symlink (ELOOP: O_NOFOLLOW), or a file where a folder was.
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'EISDIR') || hasErrno(err, 'ENOTDIR') || hasErrno(err, 'ELOOP')) return undefined;
    throw unreadable(file, err);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_SOURCE_BYTES) return undefined;
    const bytes = readFileSync(fd);
    if (bytes.subarray(0, BINARY_PROBE).includes(0)) return undefined;
    if (needles !== undefined && !needles.some((needle) => bytes.includes(needle))) return undefined;
    return bytes.toString('utf8');
  } catch (err) {
    if (hasErrno(err, 'EISDIR')) return undefined;
    throw unreadable(file, err);
  } finally {
    closeSync(fd);
  }
}

/** Whether `folder` (relative to repo) is a real folder on a path of real folders; memoised per call. */
function folderReachable(repo: string, folder: string, folders: Map<string, boolean>): boolean {
  const known = folders.get(folder);
  if (known !== undefined) return known;
  const slash = folder.lastIndexOf('/');
  let reachable = slash <= 0 || folderReachable(repo, folder.slice(0, slash), folders);
  if (reachable) {
    try {
      reachable = lstatSync(hasEscapedBytes(folder) ? Buffer.concat([Buffer.from(`${repo}/`), losslessBytes(folder)]) : join(repo, folder)).isDirectory();
    } catch (err) {
      if (!hasErrno(err, 'ENOENT') && !hasErrno(err, 'ENOTDIR')) throw unreadable(join(repo, folder), err);
      reachable = false;
    }
  }
  folders.set(folder, reachable);
  return reachable;
}

function unreadable(file: string | Buffer, err: unknown): BlueError {
  // No code says "unreadable" yet; PATH_NOT_WRITABLE is the state error closest to it.
  return new BlueError('PATH_NOT_WRITABLE', `Could not read ${file.toString()}: ${(err as Error).message}`, {
    hint: 'Check the file permissions, or exclude the file from detection with `exclude` in .blue/exports.yaml.',
    cause: err,
  });
}
