import { domainFilePath, governPublish, prepareSchemaCompiler, planNotifications, planPublish, planResolve, type ExportPublication, type ImportResolution, type WithheldPublication } from '@blue/core';
import { behindUpstream, fileAt, pushBranch, upstreamOf, userEmail, type StatusEntry } from '@blue/git';
import type { BlueContext } from './context.js';
import { evaluateImportIn } from './evaluate.js';
import { announcePublications, type LiveResult } from './live/announce-publications.js';
import { realmRuntimeDir } from './live/realm-runtime.js';
import { clearSettledNotices } from './live/live-notices.js';
import { coveringPulls } from './worktree/covering-pulls.js';
import { closeResolvedNotices, notifyConsumers, type ClosedNotice, type NotificationResult } from './notify-consumers.js';
import { computeLocalExports, publishable, readDeclaredExports } from './local-exports.js';
import { assertPublishable, codeRepoStatus, notePublishedFromDirty, type UncommittedFile } from './publishable.js';
import { realmYamlFile } from './realm-writes.js';
import { untrustedStep } from './trust/trust-steps.js';
import { FILE_POOL_SIZE, mapLimited } from './run-limited.js';
import { readMembership, type Membership } from './store/membership.js';
import type { FileChange } from './store/realm-commit.js';
import { consumersOf, type DomainSnapshot, type RealmSnapshot } from './store/realm-files.js';
import { assertPublished, readRealm, realmPushSteps, writeRealm, type BranchCommit, type PublishResult } from './store/realm-gate.js';

export interface SyncRealmInput {
  /** Say what would change; write nothing, commit nothing, push nothing. */
  dryRun?: boolean | undefined;
  /** Open or update GitHub issues in consumers' repositories (default true). */
  notify?: boolean | undefined;
  /** Publish even from uncommitted files (noted in the changelog); otherwise DIRTY_WORKTREE. */
  allowDirty?: boolean | undefined;
}

/** Governance of a breaking publication (realm.yaml `governance.breaking_changes`). */
export interface ApprovalState {
  /** `pending`: held on `branch` until an approver runs `blue realm approve`; `approved`: the publisher is an approver. */
  status: 'pending' | 'approved';
  approvers: string[];
  branch?: string;
  /** Whether the branch reached the realm's remote (pending only). */
  branch_pushed?: boolean;
  approved_by?: string;
}

export interface SyncRealmResult {
  realm: { name: string; path: string };
  domain: string;
  dry_run: boolean;
  /** Each local export: unchanged, or published as a new version (with the computed bump). */
  exports: Array<ExportPublication & { consumers: string[]; approval?: ApprovalState }>;
  /** Each import: its status and resolved version as recorded by this sync. */
  imports: Array<Omit<ImportResolution, 'entry'>>;
  /** The realm commit (absent when there was nothing to record, and on a dry run). */
  commit?: string;
  /** Dry run: commits on the realm's remote this clone has not pulled (a real sync pulls them first). */
  realm_behind: number;
  /** Whether the realm commit reached the realm's remote (false when it has none). */
  pushed: boolean;
  push_attempts: number;
  /** The push of the realm, attempt by attempt (absent on a dry run). */
  realm_push?: PublishResult;
  /** Whether consumers were notified (false with --no-notify). */
  notify: boolean;
  /** One GitHub issue per consumer whose import lags this domain's current exports. */
  notifications: NotificationResult[];
  /** Live notices: importers' inboxes and running sessions told of each publish. */
  live: LiveResult;
  /** Providers' notice issues in this domain's repository, closed because the import caught up. */
  closed_notices: ClosedNotice[];
  /** Uncommitted files this sync read (only with --allow-dirty; otherwise it refuses). */
  uncommitted: UncommittedFile[];
  next_steps: string[];
}

/**
 * Synchronises this domain with its realm: pulls the realm, publishes local export changes
 * (versions bumped from the diff, changelog listing the changes) and records each import's
 * resolution, in one realm commit, then pushes it, rebasing and retrying when other domains
 * pushed first. Decided on the realm as read under the realm lock (store/realm-gate.ts), so
 * syncs of several domains sharing one clone never write from a stale read. Never touches the
 * code repo's files.
 */
export async function syncRealm(ctx: BlueContext, input: SyncRealmInput = {}): Promise<SyncRealmResult> {
  const member = await readMembership(ctx);
  // The code repo's `git status`, asked beside the realm's pull (planSync checks it where it did).
  const codeStatus = codeRepoStatus(member.repo, ctx.env);
  if (input.dryRun) {
    // A dry run changes nothing, so it does not pull: it says how far the clone is behind instead.
    const behind = (await upstreamOf(member.realmPath, ctx.git.options)) === undefined ? 0 : await behindUpstream(member.realmPath, ctx.git.options);
    const planned = await planSync(ctx, member, await readRealm(ctx, member.realmPath), input, behind, codeStatus);
    const { result } = planned;
    if (planned.self !== undefined) result.notifications = await planned.notices(true);
    result.next_steps = [...planned.untrusted, ...syncNextSteps(result, planned.self === undefined)];
    return result;
  }
  // While git pulls, the schema compiler every publish validates with is loaded.
  const written = await writeRealm(ctx, member.realmPath, { command: `blue realm sync (${member.domain})`, duringPull: prepareSchemaCompiler }, async (snapshot) => {
    const planned = await planSync(ctx, member, snapshot, input, 0, codeStatus);
    if (planned.self === undefined) return { value: planned };
    return { value: planned, changes: planned.changes, message: planned.message, branches: await approvalCommits(ctx, member.realmPath, member.domain, planned.governed.withheld) };
  });
  const planned = written.value;
  const { result } = planned;
  if (planned.self === undefined) {
    result.next_steps = [...planned.untrusted, ...syncNextSteps(result, true)];
    return result;
  }
  assertPublished(written.publish);
  result.realm_push = written.publish;
  result.pushed = written.publish.status === 'pushed';
  result.push_attempts = written.publish.attempts.length;
  if (written.commit !== undefined || written.publish.status === 'pushed') result.commit = written.publish.head ?? written.commit;
  for (const held of planned.governed.withheld) {
    const state = result.exports.find((e) => e.name === held.publication.name)?.approval;
    if (state !== undefined) state.branch_pushed = await pushBranch(member.realmPath, held.branch, ctx.git.options);
  }
  // After the publish is safely in the realm: a local or GitHub failure is reported, never undoes it.
  const realmRef = { name: result.realm.name, path: member.realmPath };
  if (result.notify) {
    const published = result.exports.filter((e) => planned.governed.published.some((c) => c.name === e.name));
    result.live = await announcePublications(ctx, () => realmRuntimeDir(ctx, realmRef, true), member.domain, published, written.publish);
  }
  result.notifications = await planned.notices(false);
  const caughtUp = planned.resolutions.filter((r) => r.changed && r.status === 'current' && r.resolved_version !== undefined);
  if (result.notify) result.closed_notices = await closeResolvedNotices(ctx, planned.self, caughtUp.map((r) => ({ from: r.from, contract: r.contract, version: r.resolved_version ?? '' })));
  await clearSettledNotices(ctx, realmRef, member.domain, { imports: planned.resolutions.map((r) => r.entry), complete: true });
  result.next_steps = [...planned.untrusted, ...syncNextSteps(result, false)];
  return result;
}

interface PlannedSync {
  result: SyncRealmResult;
  self: DomainSnapshot | undefined;
  governed: ReturnType<typeof governPublish>;
  resolutions: ImportResolution[];
  changes: FileChange[];
  message: string;
  notices(dryRun: boolean): Promise<NotificationResult[]>;
  /** One step per export left as published because its command detector is untrusted (nothing ran). */
  untrusted: string[];
}

/** What a sync of `member` would publish and record, from the realm as `snapshot` has it. */
async function planSync(ctx: BlueContext, member: Membership, snapshot: RealmSnapshot, input: SyncRealmInput, behind: number, codeStatus: Promise<StatusEntry[]>): Promise<PlannedSync> {
  const self = snapshot.domains.find((d) => d.name === member.domain);
  const published = self?.exports ?? [];
  const now = ctx.now();
  const declared = await readDeclaredExports(member.repo);
  const locals = await computeLocalExports(ctx, member.repo, declared, published);
  // An untrusted command detector did not run: its export is left as published.
  const plan = planPublish(published, publishable(locals), now);
  // Who publishes matters only to a breaking publication the realm's governance holds for approval (git is asked then).
  const approvals = snapshot.realm.governance.breaking_changes.require_approval && plan.publications.some((p) => p.breaking && p.status !== 'unchanged');
  const publisher = approvals ? await userEmail(member.repo, ctx.git.options) : undefined;
  const governed = governPublish(member.domain, plan, published, snapshot.realm.governance, publisher, now);
  const entries = self?.imports ?? [];
  const evaluations = await mapLimited(entries, FILE_POOL_SIZE, (entry) => evaluateImportIn(snapshot, entry, member.repo, now));
  const resolutions = planResolve(entries, evaluations, now);
  // After the inputs proved valid (their errors say more), before anything is written.
  const uncommitted = await assertPublishable(member.repo, { declared, imports: entries }, { env: ctx.env, allowDirty: input.allowDirty, status: codeStatus });

  const changed = governed.published;
  const approvers = snapshot.realm.governance.approvers;
  const result: SyncRealmResult = {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    domain: member.domain,
    dry_run: input.dryRun === true,
    realm_behind: behind,
    exports: plan.publications.map((p) => {
      const held = governed.withheld.find((w) => w.publication.name === p.name);
      const approval: ApprovalState | undefined = held !== undefined
        ? { status: 'pending', approvers, branch: held.branch }
        : p.breaking && p.status !== 'unchanged' && snapshot.realm.governance.breaking_changes.require_approval && publisher !== undefined
          ? { status: 'approved', approvers, approved_by: publisher }
          : undefined;
      return { ...p, consumers: consumersOf(snapshot, member.domain, [p.name]).map((c) => c.domain), ...(approval === undefined ? {} : { approval }) };
    }),
    imports: resolutions.map(({ entry: _entry, ...rest }) => rest),
    pushed: false,
    push_attempts: 0,
    notify: input.notify !== false,
    notifications: [],
    live: { announcements: [] },
    closed_notices: [],
    uncommitted,
    next_steps: [],
  };
  const changes: FileChange[] = [];
  if (changed.length > 0) changes.push(realmYamlFile('realm-exports', domainFilePath(member.domain, 'exports.yaml'), { exports: notePublishedFromDirty(governed.exports, changed.map((c) => c.name), uncommitted) }));
  if (resolutions.some((r) => r.changed)) changes.push(realmYamlFile('imports', domainFilePath(member.domain, 'imports.yaml'), { imports: resolutions.map((r) => r.entry) }));
  const notices = async (dryRun: boolean): Promise<NotificationResult[]> => {
    if (!result.notify) return [];
    const planned = planNotifications({ realm: snapshot.realm.name, provider: member.domain, exports: governed.exports, consumers: consumersOf(snapshot, member.domain), graceDays: snapshot.realm.governance.breaking_changes.grace_period_days });
    return notifyConsumers(ctx, member.domain, planned, snapshot.domains, { dryRun, realm: { name: snapshot.realm.name, url: member.config.realm.url }, covering: await coveringPulls(member.realmPath, member.domain) });
  };
  const untrusted = locals.flatMap((l) => (l.untrusted === undefined ? [] : [untrustedStep(l.name, l.untrusted, member.repo)]));
  return { result, self, governed, resolutions, changes, message: commitMessage(member.domain, changed, resolutions), notices, untrusted };
}

/**
 * The commits that hold withheld breaking publications on their approval branches (from the
 * realm's HEAD), leaving out a branch that already carries exactly that content.
 */
async function approvalCommits(ctx: BlueContext, realmPath: string, domain: string, withheld: readonly WithheldPublication[]): Promise<BranchCommit[]> {
  const commits: BranchCommit[] = [];
  for (const held of withheld) {
    const change = realmYamlFile('realm-exports', domainFilePath(domain, 'exports.yaml'), { exports: held.exports });
    if ((await fileAt(realmPath, `refs/heads/${held.branch}`, change.path, ctx.git.options)) === change.content) continue;
    const p = held.publication;
    commits.push({ branch: held.branch, changes: [change], message: `${domain}: export ${p.name}@${p.to_version ?? '?'} (breaking, awaiting approval)\n\n${p.changes.join('\n')}\n` });
  }
  return commits;
}

function commitMessage(domain: string, changed: ExportPublication[], resolutions: ImportResolution[]): string {
  const subject = changed.length > 0
    ? `${domain}: export ${changed.map((p) => `${p.name}@${p.to_version ?? '?'}`).join(', ')}`
    : `${domain}: resolve imports`;
  const body = [
    ...changed.flatMap((p) => [`${p.name} ${p.from_version ?? '(new)'} → ${p.to_version ?? '?'}${p.breaking ? ' (breaking)' : ''}`, ...p.changes.map((c) => `  ${c}`)]),
    ...resolutions.filter((r) => r.changed).map((r) => `import ${r.contract} from ${r.from}: ${r.status}${r.resolved_version ? ` at ${r.resolved_version}` : ''}`),
  ];
  return `${subject}\n\n${body.join('\n')}\n`;
}

function syncNextSteps(result: SyncRealmResult, notAdmitted: boolean): string[] {
  if (notAdmitted) return ['Your join awaits an approver; sync again once it is merged into the realm.'];
  const steps: string[] = [];
  if (result.realm_behind > 0) steps.push(`The realm clone is ${result.realm_behind} commit(s) behind its remote; this dry run does not include them (git -C ${result.realm.path} pull --rebase, or just blue realm sync).`);
  if (result.dry_run && (result.exports.some((e) => e.status !== 'unchanged') || result.imports.some((i) => i.changed))) steps.push('blue realm sync  # publish this');
  for (const e of result.exports.filter((x) => x.approval?.status === 'pending')) {
    const who = e.approval?.approvers.join(', ') || 'the approvers in realm.yaml';
    steps.push(`${e.name} ${e.from_version ?? ''} → ${e.to_version ?? '?'} is breaking and ${result.dry_run ? 'would wait' : 'waits'} for an approver (${who}): blue realm approve --domain ${result.domain} --export ${e.name} --version ${e.to_version ?? '?'}`);
  }
  if (result.realm_push !== undefined && (result.commit !== undefined || result.realm_push.status === 'failed')) steps.push(...realmPushSteps(result.realm_push, result.realm.path));
  for (const i of result.imports.filter((x) => x.missing.length > 0)) steps.push(`Update ${i.binding} to cover: ${i.missing.join(', ')}; then blue realm sync`);
  const failed = result.notifications.filter((n) => n.status === 'failed');
  if (failed.length > 0) {
    const hint = failed[0]?.error?.hint;
    steps.push(`Notifying ${failed.map((n) => n.consumer).join(', ')} failed${hint ? ` (${hint})` : ''}; the next blue realm sync retries (skip with --no-notify).`);
  }
  const skipped = new Map(result.notifications.filter((x) => x.status === 'skipped').map((n) => [n.consumer, n.error]));
  for (const [consumer, error] of skipped) {
    steps.push(error !== undefined && error.code !== 'VALUE_INVALID' ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : `${consumer} has no GitHub repository to notify: add \`github: owner/name\` to domains/${consumer}/domain.yaml in the realm.`);
  }
  return steps;
}
