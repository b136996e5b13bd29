import { gitOutput, runGit, type GitOptions } from './run.js';

export interface GrepFilesOptions extends GitOptions {
  /** Threads git grep uses (default: git's, `grep.threads` or one per CPU). */
  threads?: number | undefined;
}

export interface GrepFilesResult {
  /** Tracked files holding a pattern, relative to `dir` and `/`-separated, in index order. */
  paths: string[];
  /**
   * Files git could not look at (it printed `failed to stat '<path>': <reason>`; e.g. permission
   * denied, or a folder on the way replaced by a file), relative to `dir` like `paths`. git skips
   * them and goes on; the caller decides whether that is an error.
   */
  failed: string[];
}

/**
 * The tracked files under `dir` whose worktree content contains one of `patterns` as fixed bytes,
 * from one `git grep -l -z -F -f -` process (multi-threaded, walks the index, never untracked or
 * ignored files). What git searches: index entries that are regular files (not symlinks, not
 * submodules) and are regular files in the worktree; assume-unchanged and skip-worktree entries
 * are searched in their index blob, as git grep does. Binary files are searched too (no `-I`:
 * `.gitattributes` may call a text file binary). git matches line by line, so a pattern holding
 * a newline is split there and matches more files than the whole pattern would: the result is a
 * superset that the caller narrows by reading the files. Exit code 1 means "no file matched".
 * Settings of the user that would change the output (`grep.fullName`, `color.grep`,
 * `submodule.recurse`, `grep.fallbackToNoIndex`) are overridden.
 */
export async function grepTrackedFiles(dir: string, patterns: readonly string[], options: GrepFilesOptions = {}): Promise<GrepFilesResult> {
  if (patterns.length === 0) return { paths: [], failed: [] };
  const { threads, ...gitOptions } = options;
  const threadArgs = threads === undefined ? [] : [`--threads=${threads}`];
  const args = ['-c', 'grep.fallbackToNoIndex=false', 'grep', '-l', '-z', '-F', '--no-color', '--no-full-name', '--no-recurse-submodules', '--no-textconv', ...threadArgs, '-f', '-'];
  const result = await runGit(dir, args, { ...gitOptions, input: `${patterns.join('\n')}\n`, okExitCodes: [1] });
  const paths = result.exitCode === 1 ? [] : result.stdout.split('\0').filter((path) => path !== '');
  const failed = failedPaths(result.stderr);
  if (failed.length === 0) return { paths, failed };
  // git names them from the top of the worktree; rare enough to ask for the prefix only then.
  const prefix = await gitOutput(dir, ['rev-parse', '--show-prefix'], gitOptions);
  return { paths, failed: failed.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length)) };
}

/** The paths of git's `error: failed to stat '<path>': <reason>` lines, once each. */
function failedPaths(stderr: string): string[] {
  const failed = new Set<string>();
  for (const line of stderr.split('\n')) {
    const match = /^error: failed to stat '(.*)': [^:]*$/.exec(line);
    if (match?.[1] !== undefined) failed.add(match[1]);
  }
  return [...failed];
}
