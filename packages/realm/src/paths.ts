import { isAbsolute, relative, resolve } from 'node:path';
import { BlueError } from '@blue/core';

/** `path` resolved inside `root`; PATH_INVALID when it is absolute or climbs out with `..`. */
export function resolveInside(root: string, path: string, what: string): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (isAbsolute(path) || path.includes('\0') || rel.startsWith('..') || isAbsolute(rel)) {
    throw new BlueError('PATH_INVALID', `The ${what} path ${JSON.stringify(path)} is outside the repository ${root}.`, {
      hint: `Give the ${what} as a path relative to the repository root, without "..".`,
    });
  }
  return full;
}
