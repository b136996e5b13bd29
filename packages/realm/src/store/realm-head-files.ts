import { DOMAINS_DIR, type DomainFileName } from '@blue/core';
import { runGit, type GitOptions } from '@blue/git';

const DOMAIN_FILES: ReadonlySet<string> = new Set<DomainFileName>(['domain.yaml', 'exports.yaml', 'imports.yaml']);
const REGULAR = new Set(['100644', '100755']);

/** Each domain folder at the realm clone's HEAD (every folder under domains/ with a tracked file) → its domain files → blob id. */
export type HeadDomainFiles = Map<string, Map<DomainFileName, string>>;

/**
 * The blob ids of every domain's files (domain.yaml, exports.yaml, imports.yaml) at the realm
 * clone's HEAD, from one `git ls-tree -r`, when the worktree under `domains/` holds exactly those
 * files (domainsMatchHead). Undefined otherwise, and when a domain
 * folder or file is a symlink, a submodule or a folder named like a domain file, or git cannot
 * answer (no HEAD): then the caller reads the worktree file by file, as before.
 */
export async function headDomainFiles(realmPath: string, options: GitOptions, known: { worktreeIsHead?: boolean } = {}): Promise<HeadDomainFiles | undefined> {
  let listing: string;
  let clean: boolean;
  try {
    [listing, clean] = await Promise.all([
      runGit(realmPath, ['ls-tree', '-r', '-z', '--full-tree', 'HEAD', '--', DOMAINS_DIR], options).then((r) => r.stdout),
      // The realm gate's writer knows it (see ignoredUnderDomains): one git process instead of two.
      known.worktreeIsHead === true ? true : domainsMatchHead(realmPath, options),
    ]);
  } catch {
    return undefined;
  }
  return clean ? parseDomainListing(listing) : undefined;
}

/**
 * Whether the worktree under domains/ holds exactly HEAD's files: `git status` (without taking
 * git's index lock, so it never gets in a writer's way) lists nothing changed, staged, untracked
 * or ignored there. Throws when git cannot answer.
 */
export async function domainsMatchHead(realmPath: string, options: GitOptions): Promise<boolean> {
  const status = await runGit(realmPath, ['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=traditional', '--', DOMAINS_DIR], options);
  return status.stdout === '';
}

/** The id of HEAD's domains/ tree (its content, every domain's files): undefined when git cannot say (no HEAD, no domains/). */
export async function headDomainsTree(realmPath: string, options: GitOptions): Promise<string | undefined> {
  const answer = await runGit(realmPath, ['rev-parse', '--verify', '--quiet', `HEAD:${DOMAINS_DIR}`], options).catch(() => undefined);
  const id = answer?.stdout.trim() ?? '';
  return /^[0-9a-f]{40,64}$/.test(id) ? id : undefined;
}

/** The domain files of the tree `tree` (HEAD's domains/, see headDomainsTree) from one `git ls-tree -r`; undefined as parseDomainListing says. */
export async function domainsTreeFiles(realmPath: string, tree: string, options: GitOptions): Promise<HeadDomainFiles | undefined> {
  const listing = (await runGit(realmPath, ['ls-tree', '-r', '-z', tree], options)).stdout;
  // The tree's paths are relative to domains/: as HEAD's listing names them.
  return parseDomainListing(listing.split('\0').map((record) => record.replace('\t', `\t${DOMAINS_DIR}/`)).join('\0'));
}

/**
 * Whether any of `ignored` (paths `git status --ignored` lists, a folder ending in `/`) is under
 * domains/: then the worktree there holds files HEAD does not, and it is read file by file.
 */
export function ignoredUnderDomains(ignored: readonly string[]): boolean {
  return ignored.some((path) => path === `${DOMAINS_DIR}/` || path.startsWith(`${DOMAINS_DIR}/`));
}

/** `git ls-tree -r -z` output under domains/ as HeadDomainFiles; undefined when an entry is one the fast reading does not handle. */
export function parseDomainListing(listing: string): HeadDomainFiles | undefined {
  const domains: HeadDomainFiles = new Map();
  for (const record of listing.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', oid = ''] = record.slice(0, tab).split(' ');
    const parts = record.slice(tab + 1).split('/');
    if (parts[0] !== DOMAINS_DIR || parts.length === 1) return undefined;
    const [, name = '', file = ''] = parts;
    // domains/<name> that is not a folder: a symlink or submodule is read the checked way; a plain file is not a domain.
    if (parts.length === 2) {
      if (!REGULAR.has(mode)) return undefined;
      continue;
    }
    // Every folder with a tracked file is listed (the worktree has it), with the domain files it holds.
    let files = domains.get(name);
    if (files === undefined) domains.set(name, (files = new Map<DomainFileName, string>()));
    if (!DOMAIN_FILES.has(file)) continue;
    if (parts.length > 3 || type !== 'blob' || !REGULAR.has(mode)) return undefined;
    files.set(file as DomainFileName, oid);
  }
  return domains;
}
