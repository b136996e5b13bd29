// Unified worktrees, the pure part: branch names and slugs, the realm's tracking file
// (worktrees/<branch-slug>.yaml), coordinated commits and the pull requests' merge order.
import { BlueError } from '../errors.js';
import { assertValidFile } from '../files.js';
import { findCycles, topologicalOrder, type DependencyGraph } from '../graph/graph.js';
import { WORKTREES_DIR } from '../layout.js';
import { assertName, NAME_MAX_LENGTH, suggestName } from '../names.js';
import type { WorktreeFile } from '../types.js';

/** The folder, inside each domain repo, that holds its worktrees (DESIGN.md departure 7). */
export const REPO_WORKTREES_DIR = '.worktrees';

/**
 * Why git would refuse `branch` as a branch name (the rules of `git check-ref-format --branch`,
 * plus "HEAD"), or undefined when it is a valid one.
 */
export function branchNameProblem(branch: string): string | undefined {
  if (branch === '') return 'it is empty';
  if (branch === 'HEAD' || branch === '@') return `"${branch}" is reserved by git`;
  if (branch.startsWith('-')) return 'it starts with "-"';
  if (branch.includes('..')) return 'it contains ".."';
  if (branch.includes('@{')) return 'it contains "@{"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what git refuses
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch)) return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  // git accepts more, but a branch is recorded in the shared realm and shown in hints: Blue keeps to characters no shell treats specially.
  if (!/^[A-Za-z0-9._/+@=,%-]+$/.test(branch)) return 'it contains a character other than letters, digits and . _ / + @ = , % - (shell characters such as ; | & $ ` \' " ( ) < > ! # are refused)';
  if (branch.startsWith('/') || branch.endsWith('/') || branch.includes('//')) return 'it has an empty path component (a leading, trailing or double "/")';
  if (branch.endsWith('.')) return 'it ends with "."';
  for (const part of branch.split('/')) {
    if (part.startsWith('.')) return `its component "${part}" starts with "."`;
    if (part.endsWith('.lock')) return `its component "${part}" ends with ".lock"`;
  }
  return undefined;
}

/** Throws VALUE_INVALID when git would refuse `branch` as a branch name. */
export function assertBranchName(branch: string): void {
  const problem = branchNameProblem(branch);
  if (problem === undefined) return;
  throw new BlueError('VALUE_INVALID', `Invalid branch name ${JSON.stringify(branch)}: ${problem}.`, {
    hint: `Choose a branch name git accepts, for example "feat/${suggestName(branch) || 'my-change'}" (\`git check-ref-format --branch <name>\` tells).`,
  });
}

/**
 * The branch as a file and folder name: `feat/training-metrics-v2` -> `feat-training-metrics-v2`.
 * Lowercase kebab-case, at most 64 characters, never empty, the same for the same branch. A long
 * slug is cut and ends in 8 hex digits of a hash of the whole branch name, so branches that share
 * a long prefix still differ. Branches that differ only in case or punctuation (`feat/x`, `feat-x`)
 * share a slug: whoever comes second is refused (its worktree path or tracking file is taken).
 * Invalid branch names throw VALUE_INVALID.
 */
export function branchSlug(branch: string): string {
  assertBranchName(branch);
  const slug = suggestName(branch);
  if (slug === '') return `branch-${hash8(branch)}`;
  // suggestName cuts at 64, so a slug this long may have lost its end.
  if (slug.length < NAME_MAX_LENGTH - 1) return slug;
  return `${slug.slice(0, NAME_MAX_LENGTH - 9).replace(/-+$/, '')}-${hash8(branch)}`;
}

/** Where a branch's tracking file lives in the realm repo: `worktrees/<branch-slug>.yaml`. */
export function worktreeTrackingPath(branch: string): string {
  return `${WORKTREES_DIR}/${branchSlug(branch)}.yaml`;
}

/** FNV-1a, 32 bits, as 8 hex digits: short, stable across runs and platforms. */
function hash8(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export interface WorktreeTrackingInput {
  /** The branch, e.g. `feat/training-metrics-v2`; recorded as the file's `name`. */
  name: string;
  /** Recorded as `source_rfc` when the file is new. */
  rfc: string;
  /** Domains that belong to the change. */
  domains: readonly string[];
  /** Of those, the ones with no clone where the command ran, with their maintainers: recorded `awaiting`. */
  awaiting?: Readonly<Record<string, readonly string[]>>;
  now: Date;
}

export interface WorktreeTrackingPlan {
  file: WorktreeFile;
  /** True when there was no tracking file yet. */
  created: boolean;
  /** Domains new to the file (all of them when it is new). */
  added: string[];
  /** False when the file would be written exactly as it is. */
  changed: boolean;
}

/**
 * The tracking file for a unified worktree, merged with the one already in the realm (a re-run,
 * or more domains joining): `created_at`, `source_rfc`, every domain's status, commit count and
 * pull request, and the coordinated commits are kept; new domains are appended (by name) as
 * `active` with no commits. An existing file for another branch whose name has the same slug is
 * refused (VALUE_INVALID). The result is validated against the `worktree` schema.
 */
export function planWorktreeTracking(existing: WorktreeFile | undefined, input: WorktreeTrackingInput): WorktreeTrackingPlan {
  const label = worktreeTrackingPath(input.name);
  if (existing !== undefined && existing.name !== input.name) {
    throw new BlueError('VALUE_INVALID', `${label} already tracks branch "${existing.name}", so it cannot also track "${input.name}".`, {
      file: label,
      hint: `Use that branch (\`--branch ${existing.name}\`) or choose a branch name whose slug differs.`,
    });
  }
  for (const domain of input.domains) assertName('domain', domain);
  const known = new Set(existing?.domains.map((d) => d.name));
  const added = [...new Set(input.domains)].filter((d) => !known.has(d)).sort();
  const awaiting = input.awaiting ?? {};
  // A domain recorded `awaiting` whose worktree now exists (its owner joined) is active.
  const kept = (existing?.domains ?? []).map((d) => (d.status === 'awaiting' && input.domains.includes(d.name) && awaiting[d.name] === undefined ? { ...d, status: 'active' as const } : d));
  const fresh = added.map((name) => (awaiting[name] === undefined ? { name, status: 'active' as const, commits: 0 } : { name, status: 'awaiting' as const, commits: 0, maintainers: [...awaiting[name]] }));
  const file: WorktreeFile = {
    name: input.name,
    created_at: existing?.created_at ?? input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    source_rfc: existing?.source_rfc ?? input.rfc,
    domains: [...kept, ...fresh],
    coordination: existing?.coordination ?? { commits: [] },
  };
  if (existing?.finished_at !== undefined) file.finished_at = existing.finished_at;
  assertValidFile('worktree', file, label);
  const activated = kept.some((d, i) => d.status !== existing?.domains[i]?.status);
  return { file, created: existing === undefined, added, changed: existing === undefined || added.length > 0 || activated };
}

export interface CoordinatedCommitInput {
  message: string;
  /** The commit each domain made, null for a domain with nothing to commit. */
  shas: Readonly<Record<string, string | null>>;
  /** Mark the record `linked` when more than one domain committed (default true; `--no-link` clears it). */
  link?: boolean;
}

export interface CoordinatedCommitPlan {
  file: WorktreeFile;
  /** False when there was nothing new to record (no SHAs, or all of them recorded before). */
  recorded: boolean;
  linked: boolean;
  /** Domains whose commit is recorded by this plan. */
  committed: string[];
}

/**
 * Records one coordinated commit in the tracking file: a `coordination.commits` entry naming
 * every tracked domain (null where it did not commit), `linked: true` when more than one domain
 * committed and `link` is not false; each committing domain's count goes up by one and a `pushed`
 * domain is `active` again. A SHA is recorded at most once per domain: SHAs already in the file
 * count as not committed now, so recording the same commits again changes nothing
 * (`recorded: false`). A domain the file does not track is refused (UNKNOWN_DOMAIN).
 */
export function recordCoordinatedCommit(file: WorktreeFile, input: CoordinatedCommitInput): CoordinatedCommitPlan {
  const label = worktreeTrackingPath(file.name);
  const tracked = file.domains.map((d) => d.name);
  for (const [domain, sha] of Object.entries(input.shas)) {
    if (!tracked.includes(domain)) {
      throw new BlueError('UNKNOWN_DOMAIN', `${label} does not track domain "${domain}" (it tracks ${tracked.join(', ') || 'none'}).`, {
        file: label,
        hint: `Add it with \`blue realm worktree --branch ${file.name} --domains ${[...tracked, domain].join(',')}\` first.`,
      });
    }
    if (sha !== null && !/^[0-9a-f]{7,64}$/.test(sha)) {
      throw new BlueError('VALUE_INVALID', `The commit of ${domain} is not a commit SHA: ${JSON.stringify(sha)}.`);
    }
  }
  if (input.message.trim() === '') throw new BlueError('VALUE_INVALID', 'A coordinated commit needs a message.', { hint: 'Pass one with -m.' });
  const seen = new Set(file.coordination.commits.flatMap((c) => Object.entries(c.shas).map(([d, sha]) => `${d}\0${sha ?? ''}`)));
  const shas: Record<string, string | null> = {};
  for (const domain of tracked) {
    const sha = input.shas[domain] ?? null;
    shas[domain] = sha !== null && !seen.has(`${domain}\0${sha}`) ? sha : null;
  }
  const committed = tracked.filter((d) => shas[d] !== null);
  if (committed.length === 0) return { file, recorded: false, linked: false, committed };
  const linked = input.link !== false && committed.length > 1;
  const next: WorktreeFile = {
    ...file,
    domains: file.domains.map((d) =>
      committed.includes(d.name) ? { ...d, commits: d.commits + 1, status: d.status === 'pushed' ? 'active' : d.status } : d,
    ),
    coordination: { ...file.coordination, commits: [...file.coordination.commits, { message: input.message, linked, shas }] },
  };
  assertValidFile('worktree', next, label);
  return { file: next, recorded: true, linked, committed };
}

export interface MergePlan {
  /** Providers before consumers, independent domains by name. */
  order: string[];
  /** For each domain, the chosen domains it depends on (directly or through others), in merge order. */
  providers: Record<string, string[]>;
}

/**
 * How the domains' pull requests must be merged: providers before consumers, independent
 * domains by name. `edges` may be the realm's whole import graph (provider `from`, consumer
 * `to`): a dependency through a domain outside `domains` still orders them. A cycle that reaches
 * any of `domains` is refused (IMPORT_CYCLE), naming it.
 */
export function mergePlan(domains: readonly string[], edges: DependencyGraph['edges']): MergePlan {
  const nodes = [...new Set(domains)];
  const everything = [...new Set([...nodes, ...edges.flatMap((e) => [e.from, e.to])])];
  const cycle = findCycles({ nodes: everything, edges }).find((c) => c.some((d) => nodes.includes(d)));
  if (cycle !== undefined) {
    throw new BlueError('IMPORT_CYCLE', `The domains import from each other in a cycle, so no merge order exists: ${cycle.join(' → ')}.`, {
      hint: 'Domains must depend on each other in one direction; remove one of these imports (`blue realm graph` shows them), then run the command again.',
    });
  }
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Provider -> consumer between the chosen domains, also through domains that are not chosen.
  const induced = nodes.flatMap((from) => [...reachable(from, next)].filter((to) => to !== from && nodes.includes(to)).map((to) => ({ from, to })));
  const order = topologicalOrder({ nodes, edges: induced }) ?? [];
  const providers: Record<string, string[]> = {};
  for (const domain of order) providers[domain] = order.filter((p) => induced.some((e) => e.from === p && e.to === domain));
  return { order, providers };
}

/** The merge order alone (see mergePlan). */
export function mergeOrder(domains: readonly string[], edges: DependencyGraph['edges']): string[] {
  return mergePlan(domains, edges).order;
}

function reachable(start: string, next: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const todo = [...(next.get(start) ?? [])];
  for (let node = todo.pop(); node !== undefined; node = todo.pop()) {
    if (seen.has(node)) continue;
    seen.add(node);
    todo.push(...(next.get(node) ?? []));
  }
  return seen;
}
