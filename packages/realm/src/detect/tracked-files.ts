import { availableParallelism } from 'node:os';
import { globMatcher, type SourceFile } from '@blue/core';
import { grepTrackedFiles, runGit } from '@blue/git';
import type { Env } from '../context.js';
import { readSources } from './read-source.js';

export { MAX_SOURCE_BYTES } from './read-source.js';

export interface ReadSourcesOptions {
  /** Only paths matching one of these globs (default: every tracked file). See globMatcher. */
  include?: readonly string[] | undefined;
  /** Never paths matching one of these globs. */
  exclude?: readonly string[] | undefined;
  /**
   * Skip files whose bytes contain none of these texts (e.g. 's3://'); '' or [] means no filter.
   * With a filter, git finds the candidates (`git grep`) and only they are opened.
   */
  mustContain?: string | readonly string[] | undefined;
}

/**
 * git grep's threads: git's default is one per CPU, but its threads mostly wait on system calls
 * (an lstat, open, read and close per file), so a small machine gains from more: on 2 CPUs, 4
 * threads took the 100k-file benchmark from ~1.3x ripgrep's time to about ripgrep's.
 */
const GREP_THREADS = (): number => Math.max(4, availableParallelism());

/** Index modes of regular files (100664 is an old git's spelling of 100644). */
export const REGULAR_FILE_MODES: ReadonlySet<string> = new Set(['100644', '100755', '100664']);

/**
 * The files git tracks in `repo` (paths relative to it, `/`-separated, sorted as git lists them),
 * from one `git ls-files -z` process. Untracked and ignored files are never listed.
 */
export async function listTrackedFiles(repo: string, env: Env): Promise<string[]> {
  const { stdout } = await runGit(repo, ['ls-files', '-z', '--cached'], { env });
  // An unmerged path is listed once per stage; list it once (`--deduplicate` needs git 2.31).
  return [...new Set(stdout.split('\0'))].filter((path) => path !== '');
}

/**
 * The text of the tracked files of `repo` that pass include/exclude and `mustContain`, in
 * `git ls-files` order. Only files git tracks as regular files are read, from the worktree, under
 * the rules of readSources: binary (a NUL in the first 8000 bytes, or a known binary extension),
 * larger than 1 MiB, missing, symlinks and files behind a symlinked folder are skipped.
 */
export async function readTrackedSources(repo: string, env: Env, options: ReadSourcesOptions = {}): Promise<SourceFile[]> {
  const sources: SourceFile[] = [];
  await forEachTrackedSource(repo, env, { ...options, visit: (source) => void sources.push(source) });
  return sources;
}

export interface VisitSourcesOptions extends ReadSourcesOptions {
  /** Called once per readable file, in `git ls-files` order; `index` is its place among the candidates. */
  visit: (source: SourceFile, index: number) => void;
}

/**
 * Streams the tracked sources of `repo` to `visit` without holding them all in memory. With
 * `mustContain`, the candidates come from one `git grep` (a few hundred milliseconds for 100k
 * files, where opening every file from Node took seconds); without, from `git ls-files -s`.
 */
export async function forEachTrackedSource(repo: string, env: Env, options: VisitSourcesOptions): Promise<void> {
  const texts = typeof options.mustContain === 'string' ? [options.mustContain] : (options.mustContain ?? []);
  const needles = texts.filter((text) => text !== '');
  const candidates = needles.length > 0 ? await grepCandidates(repo, env, needles) : await regularTrackedFiles(repo, env);
  const include = options.include && options.include.length > 0 ? globMatcher(options.include) : undefined;
  const exclude = options.exclude && options.exclude.length > 0 ? globMatcher(options.exclude) : undefined;
  const paths = candidates.filter((path) => (include?.(path) ?? true) && !(exclude?.(path) ?? false));
  await readSources(repo, paths, { needles: needles.length > 0 ? needles.map((n) => Buffer.from(n)) : undefined }, options.visit);
}

/**
 * Tracked files holding one of `needles`, in index order. Files git could not look at (e.g.
 * permission denied) are candidates too: reading them reports the problem as before.
 */
export async function grepCandidates(repo: string, env: Env, needles: readonly string[]): Promise<string[]> {
  const { paths, failed } = await grepTrackedFiles(repo, needles, { env, threads: GREP_THREADS() });
  return failed.length === 0 ? paths : [...new Set([...paths, ...failed])].sort(compareGitPaths);
}

/** Tracked paths whose index entry is a regular file (not a symlink or submodule), in index order, once each. */
async function regularTrackedFiles(repo: string, env: Env): Promise<string[]> {
  const { stdout } = await runGit(repo, ['ls-files', '-z', '--stage'], { env });
  const paths = new Set<string>();
  for (const entry of stdout.split('\0')) {
    // `<mode> <object> <stage>\t<path>`
    const tab = entry.indexOf('\t');
    if (tab > 0 && REGULAR_FILE_MODES.has(entry.slice(0, 6))) paths.add(entry.slice(tab + 1));
  }
  return [...paths];
}

/**
 * git's order of paths (the index is sorted by the bytes of the UTF-8 path, i.e. by code point),
 * for strings: UTF-16 code units order the same except that a surrogate (a code point above
 * U+FFFF) sorts after every other unit.
 */
export function compareGitPaths(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xAstral = x >= 0xd800 && x <= 0xdfff;
    const yAstral = y >= 0xd800 && y <= 0xdfff;
    if (xAstral !== yAstral) return xAstral ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
