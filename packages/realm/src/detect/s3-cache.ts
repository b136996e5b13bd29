import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { hasErrno, writeFileAtomic, type S3Access, type S3Finding } from '@blue/core';
import { compareGitPaths } from './tracked-files.js';

/** Where the cache lives, relative to the worktree's git dir (see scanS3Findings). */
export const S3_CACHE_FILE = 'blue/detect-s3-paths.json';
const FORMAT = 'blue-detect-s3-paths';
/**
 * Bump when what is cached changes meaning. The findings of a file come from @blue/core's
 * findS3Paths, so the cache also records @blue/core's version: a release that changes detection
 * (a new version) never reuses findings of the previous one.
 */
const REVISION = 1;

/** What one detection run knew, to answer the next without reading unchanged files. */
export interface S3Cache {
  /** The repo folder relative to the top of its worktree ('' at the top): paths are relative to it. */
  prefix: string;
  /** HEAD's tree when the findings were taken. */
  tree: string;
  /** HEAD's commit then (its tree is `tree`): lets the next run skip asking git for the tree. */
  commit?: string;
  /**
   * The paths whose worktree content may have differed from `tree` then, each with the mode that
   * decides whether it is read when nothing else says (its mode in `tree`, or in the index).
   */
  dirty: Map<string, string>;
  /** The findings of every tracked file that had some, by path. */
  files: Map<string, S3Finding[]>;
}

/** The scanner the findings came from: @blue/core's version and REVISION. */
export function scannerId(): string {
  const pkg: unknown = createRequire(import.meta.url)('@blue/core/package.json');
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
  return `@blue/core@${version}+${REVISION}`;
}

/** The cache file's text, or undefined when there is none (or it cannot be read: it is only a cache). */
export async function readS3CacheText(gitDir: string): Promise<string | undefined> {
  try {
    return await readFile(join(gitDir, S3_CACHE_FILE), 'utf8');
  } catch (err) {
    if (['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM'].some((code) => hasErrno(err, code))) return undefined;
    throw err;
  }
}

/**
 * Writes the cache atomically (temp file + rename: a reader sees the old or the new file, never
 * half of one). A cache that cannot be written (read-only or full disk, no permission) is not
 * an error: the next run is cold.
 */
export async function writeS3CacheText(gitDir: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(join(gitDir, S3_CACHE_FILE), text);
  } catch (err) {
    if (['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'EEXIST'].some((code) => hasErrno(err, code))) return;
    throw err;
  }
}

/** The cache as JSON, keys in git's path order, so an unchanged cache serialises to the same text. */
export function serializeS3Cache(cache: S3Cache, scanner: string): string {
  // No prototype: a tracked file may be called `__proto__`.
  const dirty = Object.create(null) as Record<string, string>;
  for (const path of [...cache.dirty.keys()].sort(compareGitPaths)) dirty[path] = cache.dirty.get(path) ?? '';
  const files = Object.create(null) as Record<string, Array<[string, string, S3Access, number]>>;
  for (const path of [...cache.files.keys()].sort(compareGitPaths)) files[path] = (cache.files.get(path) ?? []).map((f) => [f.bucket, f.key, f.access, f.line]);
  return `${JSON.stringify({ format: FORMAT, revision: REVISION, scanner, prefix: cache.prefix, tree: cache.tree, commit: cache.commit, dirty, files })}\n`;
}

/**
 * The cache in `text`, or undefined when it is not one this scanner wrote for this folder: not
 * JSON, another format, revision or scanner, another prefix, or any field of the wrong shape.
 * Nothing of a rejected file is used; the caller runs cold and rewrites it.
 */
export function parseS3Cache(text: string, expected: { scanner: string; prefix: string }): S3Cache | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined; // Corrupt (e.g. truncated by a full disk): ignored and rewritten.
  }
  if (!isRecord(doc) || doc.format !== FORMAT || doc.revision !== REVISION || doc.scanner !== expected.scanner || doc.prefix !== expected.prefix) return undefined;
  if (typeof doc.tree !== 'string' || !OBJECT_ID.test(doc.tree) || !isRecord(doc.dirty) || !isRecord(doc.files)) return undefined;
  if (doc.commit !== undefined && (typeof doc.commit !== 'string' || !OBJECT_ID.test(doc.commit))) return undefined;
  const dirty = new Map<string, string>();
  for (const [path, mode] of Object.entries(doc.dirty)) {
    if (!isRelativePath(path) || typeof mode !== 'string' || !MODE.test(mode)) return undefined;
    dirty.set(path, mode);
  }
  const files = new Map<string, S3Finding[]>();
  for (const [path, list] of Object.entries(doc.files)) {
    if (!isRelativePath(path) || !Array.isArray(list)) return undefined;
    const findings: S3Finding[] = [];
    for (const item of list) {
      const finding = parseFinding(item, path);
      if (finding === undefined) return undefined;
      findings.push(finding);
    }
    files.set(path, findings);
  }
  return { prefix: expected.prefix, tree: doc.tree, ...(doc.commit === undefined ? {} : { commit: doc.commit }), dirty, files };
}

/** A full SHA-1 or SHA-256 object id; also keeps anything but an id out of git's argv. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Six octal digits, or U for an unmerged path. */
const MODE = /^(?:[0-7]{6}|U)$/;

function parseFinding(item: unknown, file: string): S3Finding | undefined {
  if (!Array.isArray(item) || item.length !== 4) return undefined;
  const [bucket, key, access, line] = item as unknown[];
  if (typeof bucket !== 'string' || typeof key !== 'string' || !isAccess(access) || typeof line !== 'number' || !Number.isInteger(line) || line < 1) return undefined;
  return { bucket, key, access, file, line };
}

function isAccess(value: unknown): value is S3Access {
  return value === 'read' || value === 'write';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path git could list: relative, `/`-separated, no empty, `.` or `..` segment, no NUL. */
function isRelativePath(path: string): boolean {
  return path !== '' && !path.includes('\0') && path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
