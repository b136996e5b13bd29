// Linked pull requests of a unified worktree, the pure part: titles, the cross-linking bodies and
// the merge order line (RFC "Coordinated PRs").
import type { WorktreeFile } from '../types.js';
import { MERGE_ORDER_CONTEXT, type MergeOrderVerdict } from './merge-gate.js';
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
  /** The merge-order check of this domain's pull request, when known. */
  verdict?: MergeOrderVerdict | undefined;
}

/** Blue owns only the part of a pull request body between these two lines. */
export const LINKED_SECTION_START = '<!-- blue:linked-pulls -->';
export const LINKED_SECTION_END = '<!-- /blue:linked-pulls -->';
/** Where Blue's part began in bodies written before the markers. */
const LEGACY_SECTION = '\n---\n🔗 Linked by Blue';

const CHECK_MARK: Record<MergeOrderVerdict['state'], string> = { pending: '⏳', success: '✅', failure: '❌' };

/**
 * Blue's part of a domain's pull request body, between markers: links to every other pull
 * request (Markdown links, so they work across repositories), the providers it is blocked by,
 * the merge order and, when known, what the merge-order check waits for. The same input always
 * gives the same text, so re-running `pr` or `gate` when nothing moved changes nothing.
 */
export function linkedPullSection(input: Omit<LinkedPullBodyInput, 'text'>): string {
  const { domain, file, plan, pulls } = input;
  const link = (d: string): string => {
    const pull = pulls[d];
    return pull === undefined ? `${d} (no pull request yet)` : `[${pullRef(d, pulls)}](${pull.url})`;
  };
  const others = plan.order.filter((d) => d !== domain);
  const providers = plan.providers[domain] ?? [];
  const lines = [LINKED_SECTION_START, '---', `🔗 Linked by Blue (realm **${input.realm}**, change \`${file.source_rfc}\`)`, ''];
  if (others.length > 0) lines.push(`Links to: ${others.map(link).join(', ')}`);
  if (providers.length > 0) lines.push(`Blocked by: ${providers.map(link).join(', ')} (merge ${providers.join(', ')} first)`);
  lines.push(`Merge order: ${mergeOrderLine(plan.order, pulls)}`);
  if (input.verdict !== undefined) lines.push(`Merge check (${MERGE_ORDER_CONTEXT}): ${CHECK_MARK[input.verdict.state]} ${input.verdict.description}`);
  lines.push(LINKED_SECTION_END);
  return lines.join('\n');
}

/** The body of a new pull request: the author's text (or a sentence naming the change), then Blue's part. */
export function linkedPullBody(input: LinkedPullBodyInput): string {
  const text = input.text?.trim() || `Part of the coordinated change **${input.file.source_rfc}** across ${input.plan.order.length} repositories (branch \`${input.file.name}\`).`;
  return `${text}\n\n${linkedPullSection(input)}\n`;
}

/** Blue's part of a body, markers included, or undefined when it has none. */
export function linkedSectionOf(body: string): string | undefined {
  const start = body.indexOf(LINKED_SECTION_START);
  const end = start < 0 ? -1 : body.indexOf(LINKED_SECTION_END, start);
  return end < 0 ? undefined : body.slice(start, end + LINKED_SECTION_END.length);
}

/**
 * `body` with Blue's part replaced in place (or appended when it has none): whatever a person
 * wrote or edited outside the markers is kept as it is. With `text`, the text above Blue's part
 * becomes `text` (the author asked for it with --body).
 */
export function withLinkedSection(body: string, section: string, text?: string): string {
  const start = body.indexOf(LINKED_SECTION_START);
  const end = start < 0 ? -1 : body.indexOf(LINKED_SECTION_END, start);
  const legacy = start < 0 ? body.indexOf(LEGACY_SECTION) : -1;
  let before = body;
  let after = '\n';
  if (end >= 0) {
    before = body.slice(0, start);
    after = body.slice(end + LINKED_SECTION_END.length);
  } else if (legacy >= 0) {
    before = body.slice(0, legacy);
  }
  const head = text?.trim() || before.replace(/\s+$/, '');
  return `${head === '' ? '' : `${head}\n\n`}${section}${after === '' ? '\n' : after}`;
}
