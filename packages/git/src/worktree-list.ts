import { readStoredRefs, type GitDirs } from './paths.js';
import { configValue } from './repo.js';
import { gitOutput, type GitOptions } from './run.js';

/** One worktree of a repository, as `git worktree list --porcelain` reports it. */
export interface WorktreeEntry {
  /** Absolute path, as git recorded it. */
  path: string;
  /** Full SHA of its HEAD; '' for a bare repository or a branch with no commits yet. */
  head: string;
  /** The checked-out branch without `refs/heads/`; absent when detached or bare. */
  branch?: string;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  /** Why it is locked, when a reason was given (`initializing` while `git worktree add` runs). */
  lockReason?: string;
  /** Its folder is gone; `git worktree prune` would forget it. */
  prunable: boolean;
}

/** Every worktree of the repository containing `dir`, the main one first. */
export async function listWorktrees(dir: string, options: GitOptions = {}): Promise<WorktreeEntry[]> {
  const out = await gitOutput(dir, ['worktree', 'list', '--porcelain'], options);
  return out
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '')
    .map(parseEntry);
}

function parseEntry(block: string): WorktreeEntry {
  const entry: WorktreeEntry = { path: '', head: '', bare: false, detached: false, locked: false, prunable: false };
  for (const line of block.split('\n')) {
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? '' : line.slice(space + 1);
    if (key === 'worktree') entry.path = value;
    else if (key === 'HEAD') entry.head = /^0+$/.test(value) ? '' : value;
    else if (key === 'branch') entry.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'bare' || key === 'detached' || key === 'prunable') entry[key] = true;
    else if (key === 'locked') {
      entry.locked = true;
      if (value !== '') entry.lockReason = value;
    }
  }
  return entry;
}

/** Local branches and origin's remote-tracking branches, by short name, with their SHAs. */
export interface BranchRefs {
  /** `refs/heads/<name>` → SHA. */
  heads: Map<string, string>;
  /** `refs/remotes/origin/<name>` → SHA (origin/HEAD itself is not one of them). */
  origin: Map<string, string>;
  /** The branch origin/HEAD points at, when it points at one of `origin`. */
  originHead?: string;
}

const HEADS = 'refs/heads/';
const ORIGIN = 'refs/remotes/origin/';

/**
 * Every local branch and every branch fetched from origin, and where origin/HEAD points: one
 * `git for-each-ref` answering what would otherwise be a `rev-parse` per ref. Branches are
 * always commits (git refuses anything else under refs/heads/); origin's refs are what fetch wrote.
 */
export async function readBranchRefs(dir: string, options: GitOptions = {}): Promise<BranchRefs> {
  const out = await gitOutput(dir, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(symref)', HEADS, ORIGIN], options);
  const refs: BranchRefs = { heads: new Map(), origin: new Map() };
  let originHead: string | undefined;
  for (const line of out.split('\n')) {
    const [name = '', sha = '', symref = ''] = line.split('\0');
    if (name === `${ORIGIN}HEAD`) originHead = symref;
    else if (name.startsWith(HEADS)) refs.heads.set(name.slice(HEADS.length), sha);
    else if (name.startsWith(ORIGIN)) refs.origin.set(name.slice(ORIGIN.length), sha);
  }
  // A dangling origin/HEAD is not listed at all (git warns and skips it).
  if (originHead?.startsWith(ORIGIN) === true && refs.origin.has(originHead.slice(ORIGIN.length))) refs.originHead = originHead.slice(ORIGIN.length);
  return refs;
}

/**
 * What addWorktree needs of readBranchRefs, read from the ref files instead of a git process:
 * origin/HEAD, and `branch` and the default branch (local and on origin), the default being what
 * defaultBranchFrom picks with `main` (the main worktree). Undefined when the files cannot say
 * (see readStoredRefs) or the default branch would come from git's config: ask readBranchRefs.
 */
export async function readBranchRefsFromFiles(dirs: GitDirs, branch: string, main: WorktreeEntry | undefined): Promise<BranchRefs | undefined> {
  const originHead = `${ORIGIN}HEAD`;
  const first = await readStoredRefs(dirs.commonDir, [originHead]);
  const stored = first?.get(originHead);
  let target = stored !== undefined && 'symref' in stored && stored.symref.startsWith(ORIGIN) ? stored.symref.slice(ORIGIN.length) : undefined;
  const candidates = [target, main?.branch].filter((name): name is string => name !== undefined);
  const names = [...new Set([`${HEADS}${branch}`, ...candidates.flatMap((name) => [`${HEADS}${name}`, `${ORIGIN}${name}`])])];
  const found = first === undefined ? undefined : await readStoredRefs(dirs.commonDir, names);
  if (found === undefined) return undefined;
  const refs: BranchRefs = { heads: new Map(), origin: new Map() };
  for (const [name, ref] of found) {
    // A symbolic branch (e.g. master → main): git follows it; leave that to git.
    if (!('sha' in ref)) return undefined;
    if (name.startsWith(HEADS)) refs.heads.set(name.slice(HEADS.length), ref.sha);
    else refs.origin.set(name.slice(ORIGIN.length), ref.sha);
  }
  if (target !== undefined && !refs.origin.has(target)) target = undefined;
  if (target !== undefined) refs.originHead = target;
  else if (main?.branch === undefined) return undefined;
  return refs;
}

/**
 * The repository's default branch, e.g. `main`: what `origin/HEAD` points at when git knows it
 * (set by `git clone`, or `git remote set-head origin --auto`), else the branch checked out in the
 * main worktree, else `init.defaultBranch`, else `main`. Reads local state only, never the network.
 */
export async function defaultBranch(dir: string, options: GitOptions = {}): Promise<string> {
  const [worktrees, refs] = await Promise.all([listWorktrees(dir, options), readBranchRefs(dir, options)]);
  return defaultBranchFrom(dir, refs, worktrees[0], options);
}

/** defaultBranch from what was already read: the refs and the main worktree (the first listed). */
export async function defaultBranchFrom(dir: string, refs: BranchRefs, main: WorktreeEntry | undefined, options: GitOptions = {}): Promise<string> {
  return refs.originHead ?? main?.branch ?? (await configValue(dir, 'init.defaultBranch', options)) ?? 'main';
}
