import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@blue/core';

/**
 * Blue's caches in `$BLUE_HOME/cache/<name>.json`: derived data, never code. Reading one that is
 * missing, unreadable or not JSON gives undefined (the caller starts empty); writing one that
 * fails (a read-only BLUE_HOME) only loses the speed-up. Neither is ever an error.
 */
export function homeCacheFile(home: string, name: string): string {
  return join(home, 'cache', `${name}.json`);
}

export async function readHomeCache(home: string, name: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(homeCacheFile(home, name), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export async function writeHomeCache(home: string, name: string, value: unknown): Promise<void> {
  await writeFileAtomic(homeCacheFile(home, name), `${JSON.stringify(value)}\n`).catch(() => undefined);
}
