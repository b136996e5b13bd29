import { BlueError, findS3Paths, type S3Finding } from '@blue/core';
import { diffIndexFromTree, diffTrees, diffWorktree, gitDirsAt, readHeadTree, type RawChange } from '@blue/git';
import { awaitedLater } from '../awaited-later.js';
import type { Env } from '../context.js';
import { readSources } from './read-source.js';
import { parseS3Cache, readS3CacheText, scannerId, serializeS3Cache, writeS3CacheText, type S3Cache } from './s3-cache.js';
import { compareGitPaths, grepCandidates, REGULAR_FILE_MODES } from './tracked-files.js';

/** What the s3-paths detector looks for: a file without it has no finding. */
const NEEDLE = 's3://';
/** More paths to look at again than this, and one `git grep` over everything is cheaper than opening each. */
const MAX_RESCAN = 5000;

/**
 * The s3:// findings of every tracked file of `repo` (no include/exclude), in git's path order.
 *
 * Cold (no usable cache): `git grep` names the files that hold `s3://` and only they are read
 * (readSources' rules) and scanned (findS3Paths).
 *
 * Warm: the findings are cached per file in `<git dir>/blue/detect-s3-paths.json` (the git dir
 * of this worktree: `.git`, or `.git/worktrees/<name>` for a linked worktree, since each
 * worktree has its own HEAD and index; never tracked, never in the realm; written atomically
 * and only when it changed), together with the tree id of HEAD then (T0) and the paths whose
 * worktree content could differ from T0 then (dirty: `git diff-files` + `git diff-index --cached
 * T0`). A later run knows that every other path still has T0's content, and so T0's findings,
 * unless git lists it now: it looks again only at the paths that differ between T0 and HEAD's
 * tree T1 (`git diff-tree`), between T1 and the index (`git diff-index --cached`), between the
 * index and the worktree (`git diff-files`, which compares stat data like `git status`), and the
 * old dirty ones. Whether such a path is read is decided by its mode in the index (or the tree
 * that equals the index there), so a path that left the index is dropped and an untracked file
 * is never read, exactly as a cold run decides. When nothing changed this costs `git rev-parse`,
 * `git diff-files` (an lstat per tracked file, ~0.1 s for 100k files) and `git diff-index --cached`,
 * and reads no source file; the result is the cold run's.
 *
 * A cache that is missing, unreadable, corrupt, of another format, scanner (@blue/core version)
 * or folder, or names a tree this repository does not have, is ignored and rewritten. With no
 * commit yet (no tree to key on) or more than 5000 paths to look at again (e.g. every file
 * touched: `git status` refreshes git's stat data), the run is cold. Known limits, shared with
 * git: a file marked assume-unchanged (`git update-index --assume-unchanged`) is taken as
 * unchanged; a file edited twice during one run, the second time back to its committed content,
 * can keep the findings of the first edit until it changes again.
 */
export async function scanS3Findings(repo: string, env: Env): Promise<S3Finding[]> {
  try {
    return await scan(repo, env, true);
  } catch (err) {
    // The cache named HEAD's tree, and git did not know it (a tampered cache): ask git instead.
    if (err instanceof BlueError && err.code === 'GIT_FAILED') return scan(repo, env, false);
    throw err;
  }
}

async function scan(repo: string, env: Env, treeFromCache: boolean): Promise<S3Finding[]> {
  // git diff-files is the critical path of a warm run: it starts at once. (In a cold run it
  // competes with git grep; measured on 2 CPUs, starting it after git grep gained nothing.)
  const worktreeChanges = awaitedLater(diffWorktree(repo, { env }));
  const scanner = scannerId();
  // At a worktree's top the cache is found without git; the commit it names, with its tree,
  // spares the git process that would otherwise ask for HEAD's tree.
  const dirs = await gitDirsAt(repo, env);
  const early = dirs === undefined ? undefined : await cacheIn(dirs.gitDir, scanner, '');
  const known = !treeFromCache || early?.cache?.commit === undefined ? undefined : { commit: early.cache.commit, tree: early.cache.tree };
  const head = await readHeadTree(repo, { env }, known);
  const tree = head.tree;
  if (tree === undefined) {
    // No commit yet: nothing to key a cache on.
    const [files] = await Promise.all([scanFiles(repo, await grepCandidates(repo, env, [NEEDLE])), worktreeChanges]);
    return flatten(files);
  }
  const indexChanges = awaitedLater(diffIndexFromTree(repo, tree, { env }));
  const found = head.gitDir === dirs?.gitDir && head.prefix === '' ? early : await cacheIn(head.gitDir, scanner, head.prefix);
  let files = found?.cache === undefined ? undefined : await rescan({ repo, env, previous: found.cache, tree, worktreeChanges, indexChanges });
  files ??= await scanFiles(repo, await grepCandidates(repo, env, [NEEDLE]));
  const dirty = dirtyPaths(await worktreeChanges, await indexChanges);
  if (dirty.size <= MAX_RESCAN) {
    const next = serializeS3Cache({ prefix: head.prefix, tree, ...(head.commit === undefined ? {} : { commit: head.commit }), dirty, files }, scanner);
    if (next !== found?.text) await writeS3CacheText(head.gitDir, next);
  }
  return flatten(files);
}

/** The cache file's text in `gitDir`, and the cache in it when it is one for this scanner and prefix. */
async function cacheIn(gitDir: string, scanner: string, prefix: string): Promise<{ text: string; cache: S3Cache | undefined } | undefined> {
  const text = await readS3CacheText(gitDir);
  return text === undefined ? undefined : { text, cache: parseS3Cache(text, { scanner, prefix }) };
}

/**
 * `promise`, which the caller awaits later on every path; meanwhile its failure is not reported
 * as unhandled (a step awaited before it, e.g. readHeadTree, fails the same way first).
 */
interface RescanInput {
  repo: string;
  env: Env;
  previous: S3Cache;
  tree: string;
  worktreeChanges: Promise<RawChange[]>;
  indexChanges: Promise<RawChange[]>;
}

/** The findings now, from the previous ones and the paths git says may have changed; undefined: go cold. */
async function rescan({ repo, env, previous, tree, worktreeChanges, indexChanges }: RescanInput): Promise<Map<string, S3Finding[]> | undefined> {
  let committed: RawChange[] = [];
  if (previous.tree !== tree) {
    try {
      committed = await diffTrees(repo, previous.tree, tree, { env });
    } catch (err) {
      // The old tree is not in this repository (pruned, or the file came from elsewhere).
      if (err instanceof BlueError && err.code === 'GIT_FAILED') return undefined;
      throw err;
    }
  }
  const [worktree, index] = await Promise.all([worktreeChanges, indexChanges]);
  // Path -> the mode deciding whether it is read: the index's where git reports it, else the
  // tree's (the index equals HEAD's tree there), else what the previous run recorded.
  const again = new Map(previous.dirty);
  for (const change of committed) again.set(change.path, change.dstMode);
  for (const change of index) again.set(change.path, change.status === 'U' ? 'U' : change.dstMode);
  for (const change of worktree) again.set(change.path, indexModeOf(change));
  if (again.size > MAX_RESCAN) return undefined;
  const files = new Map(previous.files);
  for (const path of again.keys()) files.delete(path);
  const readable = [...again].filter(([, mode]) => mode === 'U' || REGULAR_FILE_MODES.has(mode)).map(([path]) => path);
  for (const [path, findings] of await scanFiles(repo, readable.sort(compareGitPaths))) files.set(path, findings);
  return files;
}

/** The paths whose worktree may differ from HEAD's tree, each with its mode in that tree (or in the index, equal there). */
function dirtyPaths(worktree: readonly RawChange[], index: readonly RawChange[]): Map<string, string> {
  const dirty = new Map<string, string>();
  for (const change of index) dirty.set(change.path, change.srcMode);
  for (const change of worktree) if (!dirty.has(change.path)) dirty.set(change.path, indexModeOf(change));
  return dirty;
}

/** A diff-files entry's mode in the index: an intent-to-add entry shows 000000 there, its worktree mode is what it was added with. */
function indexModeOf(change: RawChange): string {
  if (change.status === 'U') return 'U';
  return change.srcMode === '000000' ? change.dstMode : change.srcMode;
}

/** The findings of the files among `paths` that count and hold some. */
async function scanFiles(repo: string, paths: readonly string[]): Promise<Map<string, S3Finding[]>> {
  const files = new Map<string, S3Finding[]>();
  await readSources(repo, paths, { needles: [Buffer.from(NEEDLE)] }, (source) => {
    const findings = findS3Paths(source);
    if (findings.length > 0) files.set(source.path, findings);
  });
  return files;
}

function flatten(files: ReadonlyMap<string, S3Finding[]>): S3Finding[] {
  return [...files.keys()].sort(compareGitPaths).flatMap((path) => files.get(path) ?? []);
}
