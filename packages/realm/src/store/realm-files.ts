import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BlueError,
  decodeYamlBytes,
  DOMAINS_DIR,
  domainFilePath,
  hasErrno,
  readYamlFile,
  readYamlFileIfExists,
  REALM_FILE,
  WORKTREES_DIR,
  type DomainFile,
  type DomainFileName,
  type FileKind,
  type FileKinds,
  gitBlobId,
  type ParsedBlobCache,
  ParsedFileMemo,
  parseFileOfKind,
  readYamlFileNoFollow,
  type ImportEntry,
  type PublishedExport,
  type RealmFile,
} from '@blue/core';
import type { GitOptions } from '@blue/git';
import { FILE_POOL_SIZE, mapLimited } from '../run-limited.js';
import { headDomainFiles, type HeadDomainFiles } from './realm-head-files.js';

export interface DomainSnapshot {
  name: string;
  domain: DomainFile;
  exports: PublishedExport[];
  imports: ImportEntry[];
}

/** Everything the realm repo says, read and validated once. */
export interface RealmSnapshot {
  path: string;
  realm: RealmFile;
  domains: DomainSnapshot[];
}

/** Reads realm.yaml at `path`; NOT_IN_REALM when the folder is not a realm. */
export async function readRealmFile(path: string): Promise<RealmFile> {
  try {
    return await readYamlFile('realm', join(path, REALM_FILE), { label: REALM_FILE, within: path });
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) {
      throw new BlueError('NOT_IN_REALM', `${path} is not a realm (it has no ${REALM_FILE}).`, {
        hint: 'Pass the folder of a realm repository (create one with `blue realm init --name <name>`).',
      });
    }
    throw err;
  }
}

/** The domain folders of the realm, sorted. */
export async function listDomainNames(realmPath: string): Promise<string[]> {
  return (await listDomainFolders(realmPath)).map((f) => f.name);
}

/** The domain folders of the realm, sorted, each saying whether it is a real folder (not a symlink to one). */
export async function listDomainFolders(realmPath: string): Promise<Array<{ name: string; real: boolean }>> {
  try {
    const entries = await readdir(join(realmPath, DOMAINS_DIR), { withFileTypes: true });
    // A symlink to a folder is listed: reading its files then refuses it if it leads outside the realm.
    const folders = await mapLimited(entries, FILE_POOL_SIZE, async (e) => e.isDirectory() || (e.isSymbolicLink() && (await stat(join(e.parentPath, e.name)).then((s) => s.isDirectory(), () => false))));
    return entries.filter((_, i) => folders[i]).map((e) => ({ name: e.name, real: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return [];
    throw err;
  }
}

export async function readDomainFile(realmPath: string, name: string): Promise<DomainFile | undefined> {
  const label = domainFilePath(name, 'domain.yaml');
  return readYamlFileIfExists('domain', join(realmPath, label), { label, within: realmPath });
}

export async function readPublishedExports(realmPath: string, name: string): Promise<PublishedExport[]> {
  const label = domainFilePath(name, 'exports.yaml');
  return (await readYamlFileIfExists('realm-exports', join(realmPath, label), { label, within: realmPath }))?.exports ?? [];
}

export async function readImports(realmPath: string, name: string): Promise<ImportEntry[]> {
  const label = domainFilePath(name, 'imports.yaml');
  return (await readYamlFileIfExists('imports', join(realmPath, label), { label, within: realmPath }))?.imports ?? [];
}

/** The kind of realm file at `path` (relative to the realm), undefined for a file Blue does not read as YAML (CODEOWNERS). */
function kindAt(path: string): FileKind | undefined {
  if (path === REALM_FILE) return 'realm';
  const parts = path.split('/');
  if (parts.length === 3 && parts[0] === DOMAINS_DIR) return DOMAIN_FILE_KINDS[parts[2] ?? ''];
  if (parts.length === 2 && parts[0] === WORKTREES_DIR && parts[1]?.endsWith('.yaml') === true) return 'worktree';
  return undefined;
}

const DOMAIN_FILE_KINDS: Readonly<Record<string, FileKind>> = { 'domain.yaml': 'domain', 'exports.yaml': 'realm-exports', 'imports.yaml': 'imports' };

/** Reads and validates one realm file by its path (a missing file is fine: a deletion); throws what the reader throws. */
export async function readRealmPath(realmPath: string, path: string): Promise<void> {
  const kind = kindAt(path);
  if (kind !== undefined) await readYamlFileIfExists(kind, join(realmPath, path), { label: path, within: realmPath });
}

/**
 * Remembers in `cache` the domain files a writer just committed, parsed as a reader parses their
 * bytes, under the blob id of those bytes (`like`: an object id of the clone, for its hash): the
 * next reading by blob id finds them known instead of parsing them. A file git stores otherwise
 * (its filters) is remembered under an id no listing names, so never used; one that does not parse
 * is left out (its reader says what is wrong).
 */
export function rememberCommittedFiles(cache: ParsedBlobCache, files: ReadonlyArray<{ path: string; content: string | null }>, like: string): void {
  for (const { path, content } of files) {
    const parts = path.split('/');
    const kind = parts.length === 3 && parts[0] === DOMAINS_DIR ? DOMAIN_FILE_KINDS[parts[2] ?? ''] : undefined;
    if (kind === undefined || content === null) continue;
    const bytes = Buffer.from(content, 'utf8');
    let value: FileKinds[typeof kind];
    try {
      value = parseFileOfKind(kind, decodeYamlBytes(bytes, path), path);
    } catch {
      continue;
    }
    cache.set(kind, gitBlobId(bytes, like), value);
  }
}

/**
 * This process's parsed realm files (ParsedFileMemo: by path and file identity, forgotten when the
 * file changes): a long-lived `blue-mcp` re-reads the realm on each call but parses only what changed.
 */
const parsedRealmFiles = new ParsedFileMemo();

/**
 * One file of a domain folder, undefined when missing. In a real folder of a real `domains/` the
 * file is opened without following symlinks and its parse remembered (no realpath per file); a
 * symlink, or a symlinked folder, is read the checked way (it must resolve inside the realm).
 */
export async function readDomainPart<K extends FileKind>(kind: K, realmPath: string, name: string, file: DomainFileName, real: boolean, onBytes?: (bytes: Buffer) => void): Promise<FileKinds[K] | undefined> {
  const label = domainFilePath(name, file);
  if (real) {
    try {
      return await readYamlFileNoFollow(kind, join(realmPath, label), label, parsedRealmFiles, onBytes);
    } catch (err) {
      if (hasErrno(err, 'ENOENT')) return undefined;
      if (!hasErrno(err, 'ELOOP')) throw err;
    }
  }
  return readYamlFileIfExists(kind, join(realmPath, label), { label, within: realmPath });
}

/** True when the realm's `domains/` is a real folder (not a symlink): then its real subfolders' files can be opened directly. */
export async function domainsFolderIsReal(realmPath: string): Promise<boolean> {
  return lstat(join(realmPath, DOMAINS_DIR)).then((s) => s.isDirectory(), () => false);
}

/** How a reader may read by blob id: the parsed-file cache, and git's environment for asking the clone about HEAD. */
export interface BlobReading {
  cache: ParsedBlobCache;
  git: GitOptions;
  /** Fewer domain folders than this are read file by file (default BLOB_READING_MIN_DOMAINS). */
  minDomains?: number;
  /**
   * The caller knows that domains/ holds exactly HEAD's files (the realm gate's writer, see
   * realm-gate.ts): only the HEAD listing is asked for, not `git status` as well.
   */
  worktreeIsHead?: boolean;
}

/**
 * Below this many domain folders a realm is read file by file: asking git (two processes) costs
 * more than opening a few dozen files, which a long-lived process parses once anyway (ParsedFileMemo).
 */
export const BLOB_READING_MIN_DOMAINS = 100;

/** The clean clone's HEAD listing when `blobs` allows reading by blob id and the realm is big enough; else undefined. */
export async function blobListing(realmPath: string, folders: number, blobs: BlobReading | undefined): Promise<HeadDomainFiles | undefined> {
  if (blobs === undefined || folders < (blobs.minDomains ?? BLOB_READING_MIN_DOMAINS)) return undefined;
  return headDomainFiles(realmPath, blobs.git, { worktreeIsHead: blobs.worktreeIsHead === true });
}

/**
 * Reads realm.yaml and every domain's files. Invalid files throw with file and line. With `blobs`
 * (readers, and the realm gate's writer after its pull) and a realm of `minDomains` domain folders
 * or more, a clone whose `domains/` holds exactly HEAD's files is read by
 * blob id: a file whose blob the cache knows is not read at all, and a file read is remembered by
 * its blob id only when its bytes hash to that id. Anything else (uncommitted, untracked or ignored
 * files, symlinks, no HEAD) reads every file from the worktree as before; results are the same.
 */
export async function readRealmSnapshot(realmPath: string, blobs?: BlobReading): Promise<RealmSnapshot> {
  const [realm, folders, domainsReal] = await Promise.all([readRealmFile(realmPath), listDomainFolders(realmPath), domainsFolderIsReal(realmPath)]);
  const head = await blobListing(realmPath, folders.length, blobs);
  if (head !== undefined && blobs !== undefined) return { path: realmPath, realm, domains: await readDomainsByBlob(realmPath, head, blobs.cache) };
  // Bounded: a realm of 1,000 domains must not open 3,000 files at once (EMFILE under `ulimit -n 256`).
  const domains = await mapLimited(folders, FILE_POOL_SIZE, async ({ name, real }): Promise<DomainSnapshot | undefined> => {
    const direct = domainsReal && real;
    const domain = await readDomainPart('domain', realmPath, name, 'domain.yaml', direct);
    if (domain === undefined) return undefined;
    const [exports, imports] = await Promise.all([readDomainPart('realm-exports', realmPath, name, 'exports.yaml', direct), readDomainPart('imports', realmPath, name, 'imports.yaml', direct)]);
    return { name, domain, exports: exports?.exports ?? [], imports: imports?.imports ?? [] };
  });
  return { path: realmPath, realm, domains: domains.filter((d): d is DomainSnapshot => d !== undefined) };
}

/** The domains of a clean clone by their HEAD blob ids (see readRealmSnapshot), in the order folders are listed. */
async function readDomainsByBlob(realmPath: string, head: HeadDomainFiles, cache: ParsedBlobCache): Promise<DomainSnapshot[]> {
  const part = domainPartsByBlob(realmPath, head, cache);
  const domains = await mapLimited(sortedNames(head), FILE_POOL_SIZE, (name) => domainByBlob(part, name));
  return domains.filter((d): d is DomainSnapshot => d !== undefined);
}

/** One domain of a clean clone, from its files' parts (domainPartsByBlob); undefined without a domain.yaml. */
export async function domainByBlob(part: ReturnType<typeof domainPartsByBlob>, name: string): Promise<DomainSnapshot | undefined> {
  const domain = await part('domain', name, 'domain.yaml');
  if (domain === undefined) return undefined;
  const [exports, imports] = await Promise.all([part('realm-exports', name, 'exports.yaml'), part('imports', name, 'imports.yaml')]);
  return { name, domain, exports: exports?.exports ?? [], imports: imports?.imports ?? [] };
}

/** The domain folders of a HEAD listing, sorted as listDomainFolders sorts them. */
export function sortedNames(head: HeadDomainFiles): string[] {
  return [...head.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Reads one domain file of a clean clone: from the cache by its blob id, else from the worktree
 * (remembered when its bytes hash to that id); undefined when HEAD has no such file.
 */
export function domainPartsByBlob(realmPath: string, head: HeadDomainFiles, cache: ParsedBlobCache) {
  return async <K extends FileKind>(kind: K, name: string, file: DomainFileName): Promise<FileKinds[K] | undefined> => {
    const oid = head.get(name)?.get(file);
    if (oid === undefined) return undefined;
    const known = cache.get(kind, oid);
    if (known !== undefined) return known;
    let matches = false;
    const value = await readDomainPart(kind, realmPath, name, file, true, (bytes) => (matches = gitBlobId(bytes, oid) === oid));
    if (value !== undefined && matches) cache.set(kind, oid, value);
    return value;
  };
}

/**
 * Each snapshot's domains by name, built on first lookup. Cache keyed by the snapshot object
 * itself (a snapshot is never changed once read): it goes when the snapshot does.
 */
const domainIndexes = new WeakMap<RealmSnapshot, Map<string, DomainSnapshot>>();

/** The domain `name` of `snapshot`, in constant time (checks and graphs look up a provider per import). */
export function domainIn(snapshot: RealmSnapshot, name: string): DomainSnapshot | undefined {
  let index = domainIndexes.get(snapshot);
  if (index === undefined) {
    index = new Map(snapshot.domains.map((d) => [d.name, d]));
    domainIndexes.set(snapshot, index);
  }
  return index.get(name);
}

/** The domains that import any of `contracts` from `provider`, with what they import. */
export function consumersOf(snapshot: RealmSnapshot, provider: string, contracts?: readonly string[]): Array<{ domain: string; entry: ImportEntry }> {
  return snapshot.domains.flatMap((d) =>
    d.imports.filter((i) => i.from === provider && (contracts === undefined || contracts.includes(i.contract))).map((entry) => ({ domain: d.name, entry })),
  );
}

/** The published version of `provider`'s `exportName` in `snapshot` (undefined: not published). */
export function publishedVersionIn(snapshot: RealmSnapshot): (provider: string, exportName: string) => string | undefined {
  return (provider, exportName) => domainIn(snapshot, provider)?.exports.find((e) => e.name === exportName)?.version;
}
