import { BlueError } from '@blue/core';
import type { GitOptions } from '@blue/git';
import type { Env } from '../context.js';
import { cloneHead } from './clone-head.js';
import { realmWriteInProgress } from './realm-commit.js';

/**
 * Test-only, like BLUE_TEST_KILL_AT: with BLUE_TEST_VERIFY_CACHE=1 every realm reader reads by
 * blob id whatever the realm's size (the cache's way, and a long-lived process's kept snapshot)
 * AND file by file (no cache), and fails when the two differ. The test suite's sandbox sets it,
 * so every status, check, graph and blue-mcp call the suite makes runs with and without the cache.
 */
export const VERIFY_CACHE_ENV = 'BLUE_TEST_VERIFY_CACHE';

export function verifiesCache(env: Env): boolean {
  return env[VERIFY_CACHE_ENV] === '1';
}

/**
 * `cached()`'s reading of the realm at `realmPath`; with BLUE_TEST_VERIFY_CACHE=1 also
 * `uncached()`'s, which must be the same (as JSON) unless the clone changed between the two
 * (its HEAD moved, or a writer is at work: then there is nothing to compare). A difference is a
 * bug in the cache: INTERNAL, naming the realm.
 */
export async function checkedAgainstFiles<T>(env: Env, git: GitOptions, realmPath: string, cached: () => Promise<T>, uncached: () => Promise<T>): Promise<T> {
  if (!verifiesCache(env)) return cached();
  const before = await cloneHead(realmPath, git);
  const value = await cached();
  const want = await uncached();
  const after = await cloneHead(realmPath, git);
  if (before === after && !(await realmWriteInProgress(realmPath)) && JSON.stringify(value) !== JSON.stringify(want)) {
    throw new BlueError('INTERNAL', `The realm cache read ${realmPath} differently from its files (${VERIFY_CACHE_ENV}).`, {
      hint: firstDifference(JSON.stringify(value), JSON.stringify(want)),
    });
  }
  return value;
}

/** Where two JSON texts first differ, with a little of each around it. */
function firstDifference(cached: string, files: string): string {
  let i = 0;
  while (i < cached.length && cached[i] === files[i]) i++;
  const from = Math.max(0, i - 80);
  return `cached: …${cached.slice(from, i + 80)}… files: …${files.slice(from, i + 80)}…`;
}
