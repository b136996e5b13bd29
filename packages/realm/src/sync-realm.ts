import { domainFilePath, planPublish, planResolve, type ExportPublication, type ImportResolution } from '@blue/core';
import { aheadOfUpstream, pullRebase, pushWithRetry, upstreamOf } from '@blue/git';
import type { BlueContext } from './context.js';
import { evaluateImportIn } from './evaluate.js';
import { computeLocalExports, readDeclaredExports } from './local-exports.js';
import { realmYamlFile } from './realm-writes.js';
import { readMembership } from './store/membership.js';
import { commitRealmChange, type FileChange } from './store/realm-commit.js';
import { consumersOf, readRealmSnapshot } from './store/realm-files.js';

export interface SyncRealmInput {
  /** Say what would change; write nothing, commit nothing, push nothing. */
  dryRun?: boolean | undefined;
}

export interface SyncRealmResult {
  realm: { name: string; path: string };
  domain: string;
  dry_run: boolean;
  /** Each local export: unchanged, or published as a new version (with the computed bump). */
  exports: Array<ExportPublication & { consumers: string[] }>;
  /** Each import: its status and resolved version as recorded by this sync. */
  imports: Array<Omit<ImportResolution, 'entry'>>;
  /** The realm commit (absent when there was nothing to record, and on a dry run). */
  commit?: string;
  /** Whether the realm commit reached the realm's remote (false when it has none). */
  pushed: boolean;
  push_attempts: number;
  next_steps: string[];
}

/**
 * Synchronises this domain with its realm: pulls the realm, publishes local export changes
 * (versions bumped from the diff, changelog listing the changes) and records each import's
 * resolution, in one realm commit, then pushes it, rebasing and retrying when other domains
 * pushed first. Never touches the code repo's files.
 */
export async function syncRealm(ctx: BlueContext, input: SyncRealmInput = {}): Promise<SyncRealmResult> {
  const env = { env: ctx.env };
  const member = await readMembership(ctx);
  const upstream = await upstreamOf(member.realmPath, env);
  if (upstream !== undefined && !input.dryRun) await pullRebase(member.realmPath, env);
  const snapshot = await readRealmSnapshot(member.realmPath);
  const self = snapshot.domains.find((d) => d.name === member.domain);
  const published = self?.exports ?? [];
  const now = ctx.now();
  const locals = await computeLocalExports(ctx, member.repo, await readDeclaredExports(member.repo), published);
  const plan = planPublish(published, locals, now);
  const entries = self?.imports ?? [];
  const evaluations = await Promise.all(entries.map((entry) => evaluateImportIn(snapshot, entry, member.repo, now)));
  const resolutions = planResolve(entries, evaluations, now);

  const changed = plan.publications.filter((p) => p.status !== 'unchanged');
  const result: SyncRealmResult = {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    domain: member.domain,
    dry_run: input.dryRun === true,
    exports: plan.publications.map((p) => ({ ...p, consumers: consumersOf(snapshot, member.domain, [p.name]).map((c) => c.domain) })),
    imports: resolutions.map(({ entry: _entry, ...rest }) => rest),
    pushed: false,
    push_attempts: 0,
    next_steps: [],
  };
  const changes: FileChange[] = [];
  if (changed.length > 0) changes.push(realmYamlFile('realm-exports', domainFilePath(member.domain, 'exports.yaml'), { exports: plan.exports }));
  if (resolutions.some((r) => r.changed)) changes.push(realmYamlFile('imports', domainFilePath(member.domain, 'imports.yaml'), { imports: resolutions.map((r) => r.entry) }));
  if (self === undefined || input.dryRun) {
    result.next_steps = syncNextSteps(result, self === undefined);
    return result;
  }
  const commit = changes.length > 0 ? await commitRealmChange(ctx, member.realmPath, changes, commitMessage(member.domain, changed, resolutions)) : undefined;
  if (commit !== undefined) result.commit = commit;
  // Push whenever the clone is ahead, so a run whose push failed (or was killed) is finished by the next one.
  if (upstream !== undefined && (await aheadOfUpstream(member.realmPath, env)) > 0) {
    const push = await pushWithRetry(member.realmPath, env);
    result.pushed = push.pushed;
    result.push_attempts = push.attempts;
    result.commit = push.head;
  }
  result.next_steps = syncNextSteps(result, false);
  return result;
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
  if (result.dry_run && (result.exports.some((e) => e.status !== 'unchanged') || result.imports.some((i) => i.changed))) steps.push('blue realm sync  # publish this');
  if (!result.dry_run && result.commit !== undefined && !result.pushed) steps.push(`git -C ${result.realm.path} push  # the realm has no remote configured; share it by pushing`);
  for (const i of result.imports.filter((x) => x.missing.length > 0)) steps.push(`Update ${i.binding} to cover: ${i.missing.join(', ')}; then blue realm sync`);
  return steps;
}
