import { validationMemo } from '@blue/core';
import { readHomeCache, writeHomeCache } from './home-cache.js';

const CACHE = 'validations';

/** Loads the answers of export-schema validation earlier runs saved (a malformed file is ignored by the memo). */
export async function loadValidationMemo(home: string): Promise<void> {
  validationMemo.load(await readHomeCache(home, CACHE));
}

/** Saves the memo when this run computed new answers. */
export async function saveValidationMemo(home: string): Promise<void> {
  if (validationMemo.changed) await writeHomeCache(home, CACHE, validationMemo.saved());
}
