// Linked pull requests of a unified worktree, the pure part: titles, the cross-linking bodies and
// the merge order line (RFC "Coordinated PRs").
import type { WorktreeFile } from '../types.js';
import type { MergePlan } from './worktree-plan.js';

/** A domain's pull request, when it has one. */
export interface LinkedPull {
  number: number;
  url: string;
}

export type LinkedPulls = Readonly<Record<string, LinkedPull | undefined>>;

/** `aperture#45`, or the bare domain name while it has no pull request. */
export function pullRef(domain: string, pulls: LinkedPulls): string {
  const pull = pulls[domain];
  return pull === undefined ? domain : `${domain}#${pull.number}`;
}

/** `aperture#45 → fungal-image-analysis#23`. */
export function mergeOrderLine(order: readonly string[], pulls: LinkedPulls): string {
  return order.map((d) => pullRef(d, pulls)).join(' → ');
}

/**
 * The title of a domain's pull request when none is given: the subject of the last coordinated
 * commit that domain made, else the change's RFC name.
 */
export function defaultPullTitle(file: WorktreeFile, domain: string): string {
  const last = [...file.coordination.commits].reverse().find((c) => (c.shas[domain] ?? null) !== null);
  const subject = last?.message.split('\n')[0]?.trim();
  return subject !== undefined && subject !== '' ? subject : file.source_rfc;
}

export interface PullLinks {
  /** The other domains' pull requests (refs as in pullRef), in merge order. */
  links_to: string[];
  /** The providers that must merge first (refs as in pullRef), in merge order. */
  blocked_by: string[];
}

export function pullLinks(domain: string, plan: MergePlan, pulls: LinkedPulls): PullLinks {
  return {
    links_to: plan.order.filter((d) => d !== domain).map((d) => pullRef(d, pulls)),
    blocked_by: (plan.providers[domain] ?? []).map((d) => pullRef(d, pulls)),
  };
}

export interface LinkedPullBodyInput {
  domain: string;
  realm: string;
  file: WorktreeFile;
  plan: MergePlan;
  pulls: LinkedPulls;
  /** The author's text (`--body`); a default sentence when absent. */
  text?: string | undefined;
}

/**
 * The body of a domain's pull request: the author's text, then Blue's part linking every other
 * pull request (Markdown links, so they work across repositories), the providers it is blocked
 * by and the merge order. The same input always gives the same text, so re-running `pr` after
 * every pull request exists changes nothing.
 */
export function linkedPullBody(input: LinkedPullBodyInput): string {
  const { domain, file, plan, pulls } = input;
  const link = (d: string): string => {
    const pull = pulls[d];
    return pull === undefined ? `${d} (no pull request yet)` : `[${pullRef(d, pulls)}](${pull.url})`;
  };
  const text = input.text?.trim() || `Part of the coordinated change **${file.source_rfc}** across ${plan.order.length} repositories (branch \`${file.name}\`).`;
  const others = plan.order.filter((d) => d !== domain);
  const providers = plan.providers[domain] ?? [];
  const lines = [text, '', '---', `🔗 Linked by Blue (realm **${input.realm}**, change \`${file.source_rfc}\`)`, ''];
  if (others.length > 0) lines.push(`Links to: ${others.map(link).join(', ')}`);
  if (providers.length > 0) lines.push(`Blocked by: ${providers.map(link).join(', ')} (merge ${providers.join(', ')} first)`);
  lines.push(`Merge order: ${mergeOrderLine(plan.order, pulls)}`);
  return `${lines.join('\n')}\n`;
}
