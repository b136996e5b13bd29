import { approvalBranch, compareVersions, describeChange, diffValues, jsonEqual, shellQuote, type CoveredValue, type ImportStatus, type HeldChange, type UnusedGrant, type ValueChange } from '@blue/core';

import { awaitedLater } from './awaited-later.js';
import type { BlueContext } from './context.js';
import { impliedNoticesFor } from './live/implied-notices.js';
import { pendingNotices, type LiveNotice } from './live/live-notices.js';
import { realmRuntimeDir } from './live/realm-runtime.js';
import { coverageOf, evaluateImportIn } from './evaluate.js';
import { computeLocalExports, readDeclaredExports } from './local-exports.js';
import { findUncommittedInputs, type UncommittedFile } from './publishable.js';
import { FILE_POOL_SIZE, mapLimited } from './run-limited.js';
import { readMembership } from './store/membership.js';
import { untrustedStep } from './trust/trust-steps.js';
import type { UntrustedCommand } from './trust/command-trust.js';
import { loadValidationMemo, saveValidationMemo } from './store/validation-memo-file.js';
import { consumersOf, publishedVersionIn } from './store/realm-files.js';
import { listHeldChanges, withHeldChanges } from './store/held-changes.js';
import { readRealmNeighbourhood } from './store/realm-gate.js';
import { freshenRealm, freshnessSteps, type RealmFreshness } from './store/realm-freshness.js';

export type ExportState = 'in-sync' | 'changed' | 'unpublished' | 'not-declared' | 'untrusted';

export interface ExportStatus {
  name: string;
  state: ExportState;
  published_version?: string;
  /** Local value vs published value: `+ added`, `- removed`, `~ changed`. */
  changes: ValueChange[];
  lines: string[];
  schema_changed: boolean;
  consumers: Array<{ domain: string; version: string; status: ImportStatus }>;
  /** A breaking change of this export held for an approver (its realm branch), newest version. */
  awaiting_approval?: { version: string; branch: string };
  /** State `untrusted`: the repo's command detector this user has not trusted, which therefore did not run. */
  untrusted?: UntrustedCommand;
}

export interface ImportStatusEntry {
  contract: string;
  from: string;
  version: string;
  binding: string;
  status: ImportStatus;
  /** What imports.yaml recorded at the last sync. */
  recorded_status: ImportStatus;
  resolved_version?: string;
  available?: string;
  /** A breaking change left the range: the import turns broken after this moment. */
  grace_until?: string;
  reasons: string[];
  /** Binding drift: values of the import the binding does not cover. */
  missing: string[];
  /** How the binding was read (`policy`: its IAM statements; `textual`: mentions). */
  coverage?: 'policy' | 'textual';
  /** Each value with the grant that covers it (`covered_by`) or why none does (`reason`). */
  values?: CoveredValue[];
  /** Grants no current value needs: may be removed (a hint, never a failure). */
  unused?: UnusedGrant[];
  notes?: string[];
}

export interface StatusResult {
  /** The realm, and how fresh this machine's view of it is. */
  realm: RealmFreshness;
  domain: string;
  repo: string;
  /** False when the domain is not (yet) on the realm's main branch, e.g. awaiting admission. */
  admitted: boolean;
  exports: ExportStatus[];
  imports: ImportStatusEntry[];
  summary: { exports_changed: number; imports_stale: number; imports_broken: number };
  /** Live notices from providers (this domain's inbox in the runtime folder), until the import is current. */
  notices: LiveNotice[];
  /** Uncommitted files a sync would read: it refuses them (DIRTY_WORKTREE) unless --allow-dirty. */
  uncommitted: UncommittedFile[];
  next_steps: string[];
}

export interface StatusInput {
  /** Never fetch the realm's remote (also BLUE_OFFLINE=1). */
  offline?: boolean | undefined;
}

/**
 * The realm state seen from the repo around ctx.cwd: local export drift (value and schema vs
 * what the realm published), each import's live status with binding drift, and what to do next.
 */
export async function realmStatus(ctx: BlueContext, input: StatusInput = {}): Promise<StatusResult> {
  const memo = awaitedLater(loadValidationMemo(ctx.home));
  const member = await readMembership(ctx);
  // Independent reads run side by side: the runtime folder (asks git about the realm clone's
  // remote), the realm's files, the repo's declared exports.
  const realmDir = awaitedLater(realmRuntimeDir(ctx, { name: member.realm.name, path: member.realmPath }, false));
  // The view is brought up to the realm's remote first (when older than BLUE_FETCH_TTL).
  const [view, declared] = await Promise.all([freshenRealm(ctx, { name: member.realm.name, path: member.realmPath }, input), readDeclaredExports(member.repo)]);
  // Only the domains status looks at: itself, its providers, its consumers (readRealmNeighbourhood).
  const snapshot = await readRealmNeighbourhood(ctx, member.realmPath, member.domain);
  const self = snapshot.domains.find((d) => d.name === member.domain);
  // Held breaking changes matter for this domain's changed exports and for what it imports: git
  // is asked only when there is one of those, and early (beside the other reads) when it imports.
  let heldListing: Promise<HeldChange[]> | undefined;
  const heldChanges = (): Promise<HeldChange[]> => (heldListing ??= awaitedLater(listHeldChanges(ctx, member.realmPath)));
  if ((self?.imports.length ?? 0) > 0) void heldChanges();
  const published = self?.exports ?? [];
  await memo;
  const uncommitted = awaitedLater(findUncommittedInputs(member.repo, { declared, imports: self?.imports ?? [] }, ctx.env));
  const locals = await computeLocalExports(ctx, member.repo, declared, published);

  const exports: ExportStatus[] = [];
  for (const local of locals) {
    const pub = published.find((p) => p.name === local.name);
    const changes = pub ? diffValues(pub.value, local.value) : [];
    const schemaChanged = pub !== undefined && !jsonEqual(pub.schema, local.schema);
    const state: ExportState = local.untrusted !== undefined ? 'untrusted' : pub === undefined ? 'unpublished' : changes.length > 0 || schemaChanged ? 'changed' : 'in-sync';
    const status = exportStatus(local.name, state, pub?.version, changes, schemaChanged);
    if (local.untrusted !== undefined) status.untrusted = local.untrusted;
    exports.push(status);
  }
  const changedNames = exports.filter((e) => e.state === 'changed').map((e) => e.name);
  const held = changedNames.length === 0 ? new Map<string, { version: string; branch: string }>() : heldBreakingChanges(await heldChanges(), member.domain, changedNames);
  for (const exp of exports) {
    const waiting = held.get(exp.name);
    if (waiting !== undefined) exp.awaiting_approval = waiting;
  }
  for (const pub of published.filter((p) => !locals.some((l) => l.name === p.name))) {
    exports.push(exportStatus(pub.name, 'not-declared', pub.version, [], false));
  }
  const now = ctx.now();
  for (const exp of exports) {
    exp.consumers = await Promise.all(
      consumersOf(snapshot, member.domain, [exp.name]).map(async (c) => ({ domain: c.domain, version: c.entry.version, status: (await evaluateImportIn(snapshot, c.entry, undefined, now)).status })),
    );
  }

  // Each evaluation reads a binding file: a few at a time.
  const imports: ImportStatusEntry[] = await mapLimited(self?.imports ?? [], FILE_POOL_SIZE, async (entry): Promise<ImportStatusEntry> => {
      const evaluation = await evaluateImportIn(snapshot, entry, member.repo, now);
      const item: ImportStatusEntry = { contract: entry.contract, from: entry.from, version: entry.version, binding: entry.binding, status: evaluation.status, recorded_status: entry.status, reasons: evaluation.reasons, missing: evaluation.missing };
      // What the realm recorded at the last sync; `available` says what is newer.
      const resolved = entry.resolved_version ?? evaluation.resolved_version;
      if (resolved !== undefined) item.resolved_version = resolved;
      if (evaluation.available !== undefined) item.available = evaluation.available;
      if (evaluation.grace_until !== undefined) item.grace_until = evaluation.grace_until;
      Object.assign(item, coverageOf(evaluation));
      return item;
  });
  const summary = {
    exports_changed: exports.filter((e) => e.state === 'changed' || e.state === 'unpublished').length,
    imports_stale: imports.filter((i) => i.status === 'stale').length,
    imports_broken: imports.filter((i) => i.status === 'broken').length,
  };
  const notices = await pendingNotices(await realmDir, member.domain, { imports, complete: true, publishedOf: publishedVersionIn(snapshot), now }, impliedNoticesFor(snapshot, member.domain, { held: imports.length === 0 ? [] : await withHeldChanges(ctx, member.realmPath, (await heldChanges()).filter((h) => imports.some((i) => i.from === h.domain && i.contract === h.export))), now }));
  await saveValidationMemo(ctx.home);
  const steps = statusNextSteps(self !== undefined, summary, imports);
  for (const exp of exports.filter((e) => e.awaiting_approval !== undefined)) {
    steps.unshift(`${exp.name}@${exp.awaiting_approval?.version ?? '?'} (breaking) awaits approval: ask an approver (${member.realm.governance.approvers.join(', ') || 'see realm.yaml'}) to run: blue realm approve --domain ${member.domain} --export ${exp.name} --version ${exp.awaiting_approval?.version ?? '?'}`);
  }
  for (const exp of exports) if (exp.untrusted !== undefined) steps.unshift(untrustedStep(exp.name, exp.untrusted, member.repo));
  if (notices.length > 0) steps.push('blue realm worktree --rfc <name>  # start coordinated changes across the repos involved');
  const dirty = await uncommitted;
  if (dirty.length > 0) steps.unshift(`Commit ${dirty.map((f) => f.path).join(', ')}: \`blue realm sync\` publishes only committed work (or add --allow-dirty).`);
  steps.unshift(...freshnessSteps(view));
  return {
    realm: view,
    domain: member.domain,
    repo: member.repo,
    admitted: self !== undefined,
    exports,
    imports,
    summary,
    notices,
    uncommitted: dirty,
    next_steps: steps,
  };
}

/** The newest held breaking change of each of `domain`'s exports among `held`: export -> version and branch. */
function heldBreakingChanges(held: readonly HeldChange[], domain: string, names: readonly string[]): Map<string, { version: string; branch: string }> {
  const newest = new Map<string, { version: string; branch: string }>();
  for (const h of held) {
    if (h.domain !== domain || !names.includes(h.export)) continue;
    const known = newest.get(h.export);
    if (known === undefined || compareVersions(h.version, known.version) > 0) newest.set(h.export, { version: h.version, branch: approvalBranch(domain, h.export, h.version) });
  }
  return newest;
}

function exportStatus(name: string, state: ExportState, version: string | undefined, changes: ValueChange[], schemaChanged: boolean): ExportStatus {
  const status: ExportStatus = { name, state, changes, lines: changes.map(describeChange), schema_changed: schemaChanged, consumers: [] };
  if (version !== undefined) status.published_version = version;
  return status;
}

function statusNextSteps(admitted: boolean, summary: StatusResult['summary'], imports: ImportStatusEntry[]): string[] {
  const steps: string[] = [];
  if (!admitted) steps.push('Your join awaits an approver: ask one to merge it into the realm, then run `blue status` again.');
  if (summary.exports_changed > 0) steps.push('blue realm sync  # publish your export changes and notify consumers');
  for (const i of imports.filter((x) => x.missing.length > 0)) steps.push(`Update ${i.binding} to cover: ${i.missing.join(', ')}; then blue realm sync`);
  // Stale inside a breaking change's grace period: only widening the range resolves it.
  for (const i of imports.filter((x) => x.status === 'stale' && x.grace_until !== undefined)) {
    const range = i.available === undefined ? '<range>' : `^${i.available.split('.')[0] ?? '0'}.0.0`;
    steps.push(`Adopt ${i.from}'s breaking change to ${i.contract} before ${i.grace_until ?? ''}: update ${i.binding}, then blue realm import --contract ${i.contract} --from ${i.from} --version ${range} --binding ${shellQuote(i.binding)}`);
  }
  if (imports.some((i) => i.status === 'stale' && i.missing.length === 0 && i.grace_until === undefined)) steps.push('blue realm sync  # record the imports as resolved');
  else if (imports.some((i) => i.status === 'current' && i.available !== undefined)) steps.push('blue realm sync  # the binding already covers the newer version: record it');
  for (const i of imports.filter((x) => (x.unused?.length ?? 0) > 0)) steps.push(`Optional: ${i.binding} grants what ${i.contract} no longer needs: ${(i.unused ?? []).map((u) => u.grant).join(', ')}`);
  if (summary.imports_broken > 0) steps.push('blue realm check --imports  # see why imports are broken');
  return steps;
}

