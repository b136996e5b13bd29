import { ParsedBlobCache } from '@blue/core';
import { readHomeCache, writeHomeCache } from './home-cache.js';

const CACHE = 'realm-blobs';

/**
 * This process's parsed realm files by blob id (see ParsedBlobCache: content-addressed, so never
 * invalidated; bounded). Loaded from each BLUE_HOME once per process, saved when a read added entries.
 */
const cache = new ParsedBlobCache();
const loadedHomes = new Set<string>();

/** The cache, with the entries earlier runs saved in `home` (a missing, corrupt or other-version file adds nothing). */
export async function loadBlobCache(home: string): Promise<ParsedBlobCache> {
  if (!loadedHomes.has(home)) {
    loadedHomes.add(home);
    cache.load(await readHomeCache(home, CACHE));
  }
  return cache;
}

/** Saves the cache when this run parsed new files. */
export async function saveBlobCache(home: string): Promise<void> {
  if (cache.changed) await writeHomeCache(home, CACHE, cache.saved());
}
