// The merge-order check of a coordinated change, the pure part (issue 22): for each domain's pull
// request, what it still waits for (upstream pull requests to merge, their changed exports to be
// published in a version the import accepts), as the `blue/merge-order` commit status says it.
import { compareVersions, newestSatisfying } from '../semver.js';
import type { MergePlan } from './worktree-plan.js';

/** The commit status context teams make a required check in branch protection. */
export const MERGE_ORDER_CONTEXT = 'blue/merge-order';

/** GitHub cuts a status description at 140 characters. */
export const STATUS_DESCRIPTION_MAX = 140;

export type GatePullState = 'open' | 'merged' | 'closed';

export interface GatePull {
  number: number;
  url: string;
  state: GatePullState;
}

/**
 * An export the consumer imports from a provider whose branch changes it: the consumer waits
 * until a version newer than `published_before` is published and satisfies `range`.
 */
export interface ExportWait {
  provider: string;
  consumer: string;
  contract: string;
  /** The consumer's import range, as the realm has it now. */
  range: string;
  /** The version published when the provider's pull request was opened (null: none). */
  published_before: string | null;
  /** Every version of the export the realm has now (newest first or any order). */
  published: readonly string[];
}

export interface MergeOrderInput {
  plan: MergePlan;
  pulls: Readonly<Record<string, GatePull | undefined>>;
  exportWaits: readonly ExportWait[];
}

export type MergeOrderState = 'pending' | 'success' | 'failure';

export interface MergeOrderVerdict {
  domain: string;
  state: MergeOrderState;
  /** At most 140 characters: what it waits for, or why it failed. */
  description: string;
  /** The pull request it waits for (or the domain's own when it waits for nothing). */
  target_url: string | undefined;
  /** One line per thing still missing (empty on success). */
  waits_for: string[];
}

interface Reason {
  text: string;
  url: string | undefined;
}

/**
 * The verdict for every domain of the plan: `failure` when an upstream pull request was closed
 * without merging; `pending` while an upstream pull request is not merged (or has none yet), or
 * is merged but an export it changes that this domain imports has no newer published version
 * satisfying the import's range; `success` otherwise. Same input, same verdicts.
 */
export function evaluateMergeOrder(input: MergeOrderInput): MergeOrderVerdict[] {
  return input.plan.order.map((domain) => verdictFor(domain, input));
}

function verdictFor(domain: string, input: MergeOrderInput): MergeOrderVerdict {
  const providers = input.plan.providers[domain] ?? [];
  const failures: Reason[] = [];
  const waits: Reason[] = [];
  for (const provider of providers) {
    const pull = input.pulls[provider];
    const ref = pull === undefined ? provider : `${provider}#${pull.number}`;
    if (pull === undefined) waits.push({ text: `${provider} (no pull request yet)`, url: undefined });
    else if (pull.state === 'closed') failures.push({ text: `${ref} was closed without merging: reopen it, or finish the change without ${provider}`, url: pull.url });
    else if (pull.state === 'open') waits.push({ text: `${ref} to merge`, url: pull.url });
    else for (const wait of input.exportWaits.filter((w) => w.provider === provider && w.consumer === domain)) {
      const missing = exportMissing(wait, ref);
      if (missing !== undefined) waits.push({ text: missing, url: pull.url });
    }
  }
  const own = input.pulls[domain]?.url;
  if (failures.length > 0) return { domain, state: 'failure', description: cut(failures[0]!.text), target_url: failures[0]!.url ?? own, waits_for: [...failures, ...waits].map((r) => r.text) };
  if (waits.length > 0) return { domain, state: 'pending', description: cut(`waiting for ${waits.map((w) => w.text).join(', ')}`), target_url: waits.find((w) => w.url)?.url ?? own, waits_for: waits.map((w) => w.text) };
  const description = providers.length === 0 ? 'first in the merge order: nothing to wait for' : `${providers.map((p) => { const pull = input.pulls[p]; return pull ? `${p}#${pull.number}` : p; }).join(', ')} merged; exports published`;
  return { domain, state: 'success', description: cut(description), target_url: own, waits_for: [] };
}

/** What is still missing for one changed export, or undefined when a fitting version is published. */
function exportMissing(wait: ExportWait, ref: string): string | undefined {
  const newer = wait.published.filter((v) => wait.published_before === null || compareVersions(v, wait.published_before) > 0);
  if (newer.length === 0) return `${ref} merged: ${wait.provider} to publish ${wait.contract} (newer than ${wait.published_before ?? 'nothing'}; blue realm sync in ${wait.provider})`;
  if (newestSatisfying(newer, wait.range) !== undefined) return undefined;
  const newest = [...newer].sort(compareVersions).at(-1) ?? '';
  return `${wait.contract} in a version ${wait.consumer} imports (${wait.range}; ${newest} is published): update the import`;
}

function cut(text: string): string {
  return text.length <= STATUS_DESCRIPTION_MAX ? text : `${text.slice(0, STATUS_DESCRIPTION_MAX - 1)}…`;
}
