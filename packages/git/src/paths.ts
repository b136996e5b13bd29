import { lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { hasErrno } from '@blue/core';

/** What is at `path` (a symlink itself, not its target), or undefined when nothing is. */
export async function lstatIfExists(path: string): Promise<Stats | undefined> {
  return lstat(path).catch((err: unknown) => {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  });
}
