import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validationMemo, writeFileAtomic } from '@blue/core';

/** Where the answers of export-schema validation are kept between runs: `$BLUE_HOME/cache/`. */
export function validationMemoFile(home: string): string {
  return join(home, 'cache', 'validations.json');
}

/**
 * Loads earlier answers into the process's memo. A cache only: missing, unreadable or malformed
 * means starting empty, never an error.
 */
export async function loadValidationMemo(home: string): Promise<void> {
  try {
    validationMemo.load(JSON.parse(await readFile(validationMemoFile(home), 'utf8')) as unknown);
  } catch {
    // Nothing usable saved: validate as if for the first time.
  }
}

/** Saves the memo when this run computed new answers; a read-only BLUE_HOME only loses the speed-up. */
export async function saveValidationMemo(home: string): Promise<void> {
  if (!validationMemo.changed) return;
  try {
    await writeFileAtomic(validationMemoFile(home), `${JSON.stringify(validationMemo.saved())}\n`);
  } catch {
    // Next run validates again.
  }
}
