import { nameProblem } from '../names.js';
import { isVersion } from '../semver.js';
import type { Governance, PublishedExport } from '../types.js';
import type { HeldChange } from './plan-notices.js';
import type { ExportPublication, PublishPlan } from './plan-sync.js';

/** A breaking publication held back from the realm's main until an approver approves it. */
export interface WithheldPublication {
  publication: ExportPublication;
  /** `blue/breaking/<domain>/<export>@<version>`: the realm branch that carries it. */
  branch: string;
  /** The domain's exports.yaml on that branch: main's, with only this export replaced. */
  exports: PublishedExport[];
}

export interface GovernedPlan {
  /** The domain's exports.yaml for main. */
  exports: PublishedExport[];
  /** Publications that reach main now. */
  published: ExportPublication[];
  withheld: WithheldPublication[];
}

/** The realm branch a breaking change of `domain`'s `exportName` waits on. */
export function approvalBranch(domain: string, exportName: string, version: string): string {
  return `${approvalBranchPrefix(domain, exportName)}${version}`;
}

export function approvalBranchPrefix(domain: string, exportName: string): string {
  return `${HELD_BRANCHES}${domain}/${exportName}@`;
}

/** The folder of realm branches that hold breaking changes for an approver. */
export const HELD_BRANCHES = 'blue/breaking/';

/** The held change a realm branch carries (`blue/breaking/<domain>/<export>@<version>`); undefined for any other branch. */
export function heldChangeOf(branch: string): HeldChange | undefined {
  const match = /^blue\/breaking\/([^/@]+)\/([^/@]+)@([^/@]+)$/.exec(branch);
  if (match === null) return undefined;
  const [, domain = '', exp = '', version = ''] = match;
  return nameProblem(domain) === undefined && nameProblem(exp) === undefined && isVersion(version) ? { domain, export: exp, version } : undefined;
}

/**
 * Applies `governance.breaking_changes` to a publish plan. Without `require_approval`, or when
 * the publisher is an approver (recorded as `approved_by`), everything reaches main; otherwise
 * each breaking publication is withheld on its own branch and main keeps the published export.
 */
export function governPublish(domain: string, plan: PublishPlan, published: readonly PublishedExport[], governance: Governance, publisher: string | undefined, now: Date): GovernedPlan {
  const changed = plan.publications.filter((p) => p.status !== 'unchanged');
  const breaking = changed.filter((p) => p.breaking);
  const isApprover = publisher !== undefined && governance.approvers.includes(publisher);
  if (!governance.breaking_changes.require_approval || breaking.length === 0) return { exports: plan.exports, published: changed, withheld: [] };
  if (isApprover) {
    const names = new Set(breaking.map((p) => p.name));
    const exports = plan.exports.map((e) => (names.has(e.name) ? approve(e, publisher, now) : e));
    return { exports, published: changed, withheld: [] };
  }
  const held = new Set(breaking.map((p) => p.name));
  const onMain = plan.exports.map((e) => (held.has(e.name) ? (published.find((p) => p.name === e.name) ?? e) : e));
  return {
    exports: onMain,
    published: changed.filter((p) => !held.has(p.name)),
    withheld: breaking.map((publication) => ({
      publication,
      branch: approvalBranch(domain, publication.name, publication.to_version ?? '0.0.0'),
      exports: onMain.map((e) => (e.name === publication.name ? (plan.exports.find((p) => p.name === e.name) ?? e) : e)),
    })),
  };
}

/** The export with its newest changelog entry marked approved by `approver`. */
export function approve(exp: PublishedExport, approver: string, now: Date): PublishedExport {
  const [latest, ...rest] = exp.changelog;
  if (latest === undefined) return exp;
  return { ...exp, changelog: [{ ...latest, approved_by: approver, approved_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z') }, ...rest] };
}
