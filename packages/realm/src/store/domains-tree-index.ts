import { readdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DomainFileName } from '@blue/core';
import { homeCacheFile, readHomeCache, writeHomeCache } from './home-cache.js';
import type { HeadDomainFiles } from './realm-head-files.js';

/**
 * Who imports from whom in one realm tree (issue 25, "read by neighbourhood"): HEAD's domains/
 * tree id → each domain's files (blob ids) and the domains whose imports.yaml imports from it.
 * Saved in `$BLUE_HOME/cache/realm-trees/<tree id>.json`, one file per tree, data only. A tree id
 * names the whole content of domains/, so an entry never goes stale: no invalidation, only a bound
 * (the MAX_TREES files written last are kept). The domains are one text, a line per domain, so
 * loading costs one JSON string and a lookup reads one line (a 2,000-domain realm's index parsed
 * as objects cost ~25 ms). A file that is missing, not JSON, of another format or for another
 * tree is not used; a line that does not read throws CorruptTreeIndex (the caller rebuilds it).
 */
export interface DomainsTreeIndex {
  tree: string;
  /** What is saved: a line per folder of the tree and per provider named without one. */
  text: string;
  /**
   * The folder `name` of the tree, or a provider without a folder that some domain imports from: its
   * domain files' blob ids, and the folders importing from it (sorted); undefined when it is neither.
   */
  entry(name: string): TreeEntry | undefined;
}

export interface TreeEntry {
  files: Map<DomainFileName, string>;
  importers: string[];
}

/** A saved index whose line for a domain does not read: built again and rewritten. */
export class CorruptTreeIndex extends Error {}

const FORMAT = 'realm-tree@1';
const MAX_TREES = 16;
const FILES: readonly DomainFileName[] = ['domain.yaml', 'exports.yaml', 'imports.yaml'];
/** `"<name as JSON>"\t<domain.yaml id or ->\t<exports.yaml>\t<imports.yaml>\t<importers as a JSON array>`. */
const LINE = /^("(?:[^"\\]|\\.)*")\t([0-9a-f]{40,64}|-)\t([0-9a-f]{40,64}|-)\t([0-9a-f]{40,64}|-)\t(\[.*\])$/;

const treeCache = (tree: string) => `realm-trees/${tree}`;

/** The index of `tree` from every domain's files and each provider's importers. */
export function treeIndexOf(tree: string, domains: HeadDomainFiles, importers: ReadonlyMap<string, readonly string[]>): DomainsTreeIndex {
  const names = [...new Set([...domains.keys(), ...importers.keys()])];
  const lines = names.map((name) => `${JSON.stringify(name)}\t${FILES.map((f) => domains.get(name)?.get(f) ?? '-').join('\t')}\t${JSON.stringify(importers.get(name) ?? [])}\n`);
  return indexOfText(tree, `\n${lines.join('')}`);
}

function indexOfText(tree: string, text: string): DomainsTreeIndex {
  return {
    tree,
    text,
    entry(name) {
      const at = text.indexOf(`\n${JSON.stringify(name)}\t`);
      if (at < 0) return undefined;
      const end = text.indexOf('\n', at + 1);
      const line = LINE.exec(text.slice(at + 1, end < 0 ? undefined : end));
      const importers = line === null ? undefined : jsonOrUndefined(line[5] ?? '');
      if (line === null || !Array.isArray(importers) || !importers.every((n) => typeof n === 'string')) throw new CorruptTreeIndex(`line of ${name}`);
      const files = new Map<DomainFileName, string>();
      FILES.forEach((file, i) => {
        const oid = line[i + 2];
        if (oid !== undefined && oid !== '-') files.set(file, oid);
      });
      return { files, importers };
    },
  };
}

/** The index of `tree` earlier runs saved in `home`; undefined when there is none usable. */
export async function loadTreeIndex(home: string, tree: string): Promise<DomainsTreeIndex | undefined> {
  const saved = await readHomeCache(home, treeCache(tree));
  if (!isRecord(saved) || saved.format !== FORMAT || saved.tree !== tree || typeof saved.text !== 'string' || !saved.text.startsWith('\n')) return undefined;
  return indexOfText(tree, saved.text);
}

/** Saves `index` in `home` (a failure only loses the speed-up), keeping the MAX_TREES newest. */
export async function saveTreeIndex(home: string, index: DomainsTreeIndex): Promise<void> {
  await writeHomeCache(home, treeCache(index.tree), { format: FORMAT, tree: index.tree, text: index.text });
  await pruneTrees(dirname(homeCacheFile(home, treeCache(index.tree))));
}

/** Provider → its importers (sorted), from each domain's providers. */
export function importersFrom(providersOf: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const name of [...providersOf.keys()].sort()) {
    for (const provider of new Set(providersOf.get(name))) {
      const list = importers.get(provider);
      if (list === undefined) importers.set(provider, [name]);
      else list.push(name);
    }
  }
  return importers;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes all but the MAX_TREES most recently written index files of `dir` (errors ignored: another process may prune too). */
async function pruneTrees(dir: string): Promise<void> {
  // Another process's temp file (.<name>.<pid>.<random>.tmp) is its write in progress: left alone.
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  if (names.length <= MAX_TREES) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, at: await stat(`${dir}/${name}`).then((s) => s.mtimeMs, () => 0) })));
  dated.sort((a, b) => b.at - a.at);
  await Promise.all(dated.slice(MAX_TREES).map(({ name }) => rm(`${dir}/${name}`, { force: true })));
}
