import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DOMAINS_DIR, type FileKind, type ParsedBlobCache } from '@blue/core';
import type { GitOptions } from '@blue/git';
import { FILE_POOL_SIZE, mapLimited } from '../run-limited.js';
import { CorruptTreeIndex, importersFrom, loadTreeIndex, saveTreeIndex, treeIndexOf, type DomainsTreeIndex, type TreeEntry } from './domains-tree-index.js';
import { BLOB_READING_MIN_DOMAINS, domainByBlob, domainIn, domainPartsByBlob, readRealmFile, sortedNames, type DomainSnapshot, type RealmSnapshot } from './realm-files.js';
import { domainsMatchHead, domainsTreeFiles, headDomainsTree, type HeadDomainFiles } from './realm-head-files.js';

/**
 * What a domain's status looks at in the realm (issue 25): the domain itself, the providers it
 * imports from (their exports), and the domains importing from it (their imports). `snapshot`
 * with only those domains, in the same order: status gives the same result from either.
 */
export function neighbourhoodOf(snapshot: RealmSnapshot, domain: string): RealmSnapshot {
  const names = new Set([domain, ...(domainIn(snapshot, domain)?.imports.map((i) => i.from) ?? [])]);
  for (const d of snapshot.domains) if (d.imports.some((i) => i.from === domain)) names.add(d.name);
  return { ...snapshot, domains: snapshot.domains.filter((d) => names.has(d.name)) };
}

/** How the neighbourhood is read: the parsed-file caches, git's environment, and BLUE_HOME (where the tree indexes are). */
export interface NeighbourhoodReading {
  /** The neighbourhood's files by blob id (a small cache: see loadNearBlobCache). */
  cache: ParsedBlobCache;
  /** The whole realm's files by blob id, asked for only to build a tree's index (every file of the tree, validated). */
  full: () => Promise<ParsedBlobCache>;
  git: GitOptions;
  home: string;
  /** Fewer domain folders than this: undefined (the whole realm costs no more). Default BLOB_READING_MIN_DOMAINS. */
  minDomains?: number;
}

/**
 * neighbourhoodOf(the realm, `domain`) read without reading the other domains' files: the domains
 * to read come from the index of HEAD's domains/ tree (domains-tree-index.ts; built from one full
 * listing and saved when missing), their files by blob id from the cache. Undefined, for the caller
 * to read the whole realm, when the realm is small, when the worktree under domains/ is not
 * exactly HEAD's (changed, untracked or ignored files), when git cannot say (no HEAD), or when the
 * tree holds entries the blob reading does not handle (symlinks, submodules) or a file that does not
 * parse or validate (the full read reports it as before).
 */
export async function readNeighbourhoodSnapshot(realmPath: string, domain: string, reading: NeighbourhoodReading): Promise<RealmSnapshot | undefined> {
  const [realm, folders] = await Promise.all([readRealmFile(realmPath), readdir(join(realmPath, DOMAINS_DIR)).then((n) => n.length, () => 0)]);
  if (folders < (reading.minDomains ?? BLOB_READING_MIN_DOMAINS)) return undefined;
  const tree = await cleanHeadTree(realmPath, reading.git);
  if (tree === undefined) return undefined;
  const saved = await loadTreeIndex(reading.home, tree);
  if (saved !== undefined) {
    try {
      return { path: realmPath, realm, domains: await neighbourhoodDomains(realmPath, domain, saved, reading.cache) };
    } catch (err) {
      if (!(err instanceof CorruptTreeIndex)) throw err;
    }
  }
  const built = await buildTreeIndex(realmPath, tree, reading);
  // Building it parsed into the whole realm's cache: the neighbourhood's files are taken from there.
  return built === undefined ? undefined : { path: realmPath, realm, domains: await neighbourhoodDomains(realmPath, domain, built, reading.cache, await reading.full()) };
}

/**
 * The domains of neighbourhoodOf(`domain`) in the tree `index` describes, their files by blob id
 * from `cache` (else from `known`, copied into `cache`; else parsed), sorted by name.
 */
async function neighbourhoodDomains(realmPath: string, domain: string, index: DomainsTreeIndex, cache: ParsedBlobCache, known?: ParsedBlobCache): Promise<DomainSnapshot[]> {
  const own = index.entry(domain);
  // The few folders read, by blob id (domainPartsByBlob).
  const files: HeadDomainFiles = new Map();
  const part = domainPartsByBlob(realmPath, files, cache);
  const add = (name: string, entry: TreeEntry | undefined) => {
    if (entry === undefined) return;
    files.set(name, entry.files);
    if (known !== undefined) for (const [file, kind] of DOMAIN_FILES) copyEntry(kind, entry.files.get(file), known, cache);
  };
  add(domain, own);
  const self = await domainByBlob(part, domain);
  const names = new Set([...(self?.imports.map((i) => i.from) ?? []), ...(own?.importers ?? [])]);
  names.delete(domain);
  for (const name of names) add(name, index.entry(name));
  const others = await mapLimited([...names], FILE_POOL_SIZE, (name) => domainByBlob(part, name));
  return [self, ...others].filter((d): d is DomainSnapshot => d !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const DOMAIN_FILES = [['domain.yaml', 'domain'], ['exports.yaml', 'realm-exports'], ['imports.yaml', 'imports']] as const;

/** `from`'s entry for the blob `oid`, if any, into `to` (unless `to` has one). */
function copyEntry<K extends FileKind>(kind: K, oid: string | undefined, from: ParsedBlobCache, to: ParsedBlobCache): void {
  if (oid === undefined || to.has(kind, oid)) return;
  const value = from.get(kind, oid);
  if (value !== undefined) to.set(kind, oid, value);
}

/** HEAD's domains/ tree id when the worktree under domains/ is exactly HEAD's; undefined otherwise or when git cannot say. */
async function cleanHeadTree(realmPath: string, git: GitOptions): Promise<string | undefined> {
  try {
    const [tree, clean] = await Promise.all([headDomainsTree(realmPath, git), domainsMatchHead(realmPath, git)]);
    return clean ? tree : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The index of `tree` from its full listing (one `git ls-tree -r`) and every domain's files (all
 * validated: importersOfTree), saved; undefined as readNeighbourhoodSnapshot says, and when a file
 * is invalid (the caller's whole read then reports it, as before).
 */
async function buildTreeIndex(realmPath: string, tree: string, reading: NeighbourhoodReading): Promise<DomainsTreeIndex | undefined> {
  const domains = await domainsTreeFiles(realmPath, tree, reading.git).catch(() => undefined);
  if (domains === undefined) return undefined;
  // Undefined also when a file read was not its blob: the worktree moved on since the listing.
  const importers = await importersOfTree(realmPath, domains, reading).catch(() => undefined);
  if (importers === undefined) return undefined;
  const index = treeIndexOf(tree, domains, importers);
  await saveTreeIndex(reading.home, index);
  return index;
}

/**
 * Who imports from whom in `domains`, from every domain's files read by blob id through the whole
 * realm's cache: an index is made only for a tree whose every file is valid, so a status that reads
 * only its neighbourhood fails on an invalid file anywhere in the realm as a whole read does (and
 * as blue-mcp, which keeps the whole realm, does), whatever the realm's size. Throws what the whole
 * read throws; undefined when a file read was not its blob (the worktree changed meanwhile).
 */
async function importersOfTree(realmPath: string, domains: HeadDomainFiles, reading: NeighbourhoodReading): Promise<Map<string, string[]> | undefined> {
  const cache = await reading.full();
  const part = domainPartsByBlob(realmPath, domains, cache);
  const read = (await mapLimited(sortedNames(domains), FILE_POOL_SIZE, (name) => domainByBlob(part, name))).filter((d): d is DomainSnapshot => d !== undefined);
  // Each file read was remembered only when its bytes were that blob's.
  const moved = read.some((d) => DOMAIN_FILES.some(([file, kind]) => {
    const oid = domains.get(d.name)?.get(file);
    return oid !== undefined && !cache.has(kind, oid);
  }));
  return moved ? undefined : importersFrom(new Map(read.map((d) => [d.name, d.imports.map((i) => i.from)])));
}
