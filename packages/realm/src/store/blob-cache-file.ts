import { ParsedBlobCache } from '@blue/core';
import { readHomeCache, writeHomeCache } from './home-cache.js';

/**
 * A process's parsed realm files by blob id (see ParsedBlobCache: content-addressed, so never
 * invalidated; bounded), kept in `$BLUE_HOME/cache/<name>.json`: loaded from each BLUE_HOME once
 * per process, saved when a read added entries.
 */
function homeBlobCache(name: string, max?: number) {
  const cache = new ParsedBlobCache(max);
  const loadedHomes = new Set<string>();
  return {
    /** The cache, with the entries earlier runs saved in `home` (a missing, corrupt or other-version file adds nothing). */
    load: async (home: string): Promise<ParsedBlobCache> => {
      if (!loadedHomes.has(home)) {
        loadedHomes.add(home);
        cache.load(await readHomeCache(home, name));
      }
      return cache;
    },
    /** Saves the cache when this run parsed new files. */
    save: async (home: string): Promise<void> => {
      if (cache.changed) await writeHomeCache(home, name, cache.saved());
    },
  };
}

/** Every realm file readers and writers parsed (`realm-blobs.json`): a whole-realm read takes them all. */
const realmBlobs = homeBlobCache('realm-blobs');
export const loadBlobCache = realmBlobs.load;
export const saveBlobCache = realmBlobs.save;

/**
 * The files `blue status` read in its neighbourhoods (`realm-blobs-near.json`, at most
 * NEAR_ENTRIES): a status loads these few instead of the whole realm's (1.5 MB at 2,000 domains).
 */
const NEAR_ENTRIES = 500;
const nearBlobs = homeBlobCache('realm-blobs-near', NEAR_ENTRIES);
export const loadNearBlobCache = nearBlobs.load;
export const saveNearBlobCache = nearBlobs.save;
