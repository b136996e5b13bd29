import type { CheckRealmResult, ExportContractResult, ImportContractResult, JoinRealmResult, LeaveRealmResult, StatusResult, SyncRealmResult } from '@blue/realm';
import { coverageDetails, missingLines } from './coverage.js';
import { shellCommand } from '@blue/core';
import { liveLines, notificationLine } from './notifications.js';
import { realmPushNote } from './realm-push.js';
import { nextSteps, okLine, style } from './style.js';

export function renderJoin(r: JoinRealmResult): string[] {
  if (r.status === 'already-member') {
    return [okLine(`${r.domain.name} is already a domain of realm ${r.realm.name}; nothing to change.`), ...nextSteps(r.next_steps)];
  }
  // In the RFC's order: each realm file, preceded by what was detected for it.
  const lines: string[] = [];
  for (const file of r.files.realm.filter((f) => f.startsWith('domains/'))) {
    if (file.endsWith('/exports.yaml') && r.exports.length > 0) lines.push(okLine(`Auto-detected exports: ${r.exports.map((e) => e.name).join(', ')}`));
    if (file.endsWith('/imports.yaml')) {
      for (const i of r.imports) lines.push(okLine(`Detected import: ${i.contract} from ${i.from} ${style.dim(`(binding ${i.binding}${i.missing.length ? `, missing ${i.missing.length}` : ''})`)}`));
    }
    lines.push(okLine(`Created ${file}`));
  }
  for (const f of r.files.repo) lines.push(okLine(`${f === '.blue/config.yaml' ? 'Updated' : 'Created'} ${f}`));
  if (r.status === 'pending-approval') {
    lines.push('', style.warn(`Admission needs approval: the join is on branch ${r.admission.branch} of the realm${r.admission.pushed === true ? ' (pushed to its remote)' : ''}, waiting for ${r.admission.approvers.join(', ') || 'an approver'}.`));
  } else if (r.commit) lines.push(okLine(`Realm commit ${r.commit.slice(0, 7)}${realmPushNote(r.realm_push)}`));
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderLeave(r: LeaveRealmResult): string[] {
  const lines = [okLine(`${r.domain} left realm ${r.realm.name}${r.commit ? ` (commit ${r.commit.slice(0, 7)}${realmPushNote(r.realm_push)})` : ''}`), ...r.removed.realm.map((f) => okLine(`Removed ${f}`, 2)), ...r.removed.repo.map((f) => okLine(`Removed ${f}`, 2))];
  for (const b of r.broken_imports) lines.push(style.warn(`  ! ${b.domain}'s import of ${b.contract} is now broken`));
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderExport(r: ExportContractResult): string[] {
  return [
    okLine(`${r.created ? 'Declared' : 'Updated'} export ${style.bold(r.export.name)} in ${r.file} ${style.dim(`(${r.export.source}${r.published_version ? `, published ${r.published_version}` : ', not yet published'})`)}`),
    ...nextSteps(r.next_steps),
  ];
}

export function renderImport(r: ImportContractResult): string[] {
  const lines = [okLine(`${r.created ? 'Imported' : 'Updated import of'} ${style.bold(r.import.contract)} from ${r.import.from} ${r.import.version} (binding ${r.import.binding}): ${statusWord(r.status)}`)];
  if (r.commit) lines.push(okLine(`Realm commit ${r.commit.slice(0, 7)}${realmPushNote(r.realm_push)}`, 2));
  for (const reason of r.reasons) lines.push(`  ${reason}`);
  return [...lines, ...nextSteps(r.next_steps)];
}

function statusWord(status: string): string {
  return status === 'current' ? style.ok(status) : status === 'stale' ? style.warn(status) : style.error(status);
}

export function renderStatus(r: StatusResult): string[] {
  const lines = [`📊 ${style.bold(r.domain)} (domain in ${r.realm.name} realm)`];
  if (r.realm.warning !== undefined) lines.push('', style.warn(`⚠️  ${r.realm.warning.message}`));
  if (!r.admitted) lines.push('', style.warn('⏳ Not admitted yet: your join waits for an approver to merge it into the realm.'));
  for (const n of r.notices) {
    const effect = n.import_status === undefined || n.import_status === 'current' ? '' : ` Your import is now ${n.import_status}.`;
    if (n.kind === 'export-changed') lines.push('', style.warn(`🔔 Live notification from ${n.from}: ${n.text}.${effect} Run 'blue realm worktree' to start coordinated changes.`));
    else lines.push('', style.warn(`🔔 ${n.text}${effect}`));
  }
  if (r.uncommitted.length > 0) lines.push('', style.warn('📝 Uncommitted (sync refuses to publish them):'), ...r.uncommitted.map((f) => `   ${f.path} (${f.state}; ${f.reason})`));
  for (const e of r.exports.filter((x) => x.untrusted !== undefined)) {
    lines.push('', style.warn(`🔒 Export '${e.name}' is untrusted: this repo declares a command and Blue ran nothing:`), `   ${shellCommand(e.untrusted?.command ?? [])}`, `   If you trust it: ${e.untrusted?.allow ?? 'blue trust allow'}`);
  }
  const changed = r.exports.filter((e) => e.state === 'changed' || e.state === 'unpublished');
  if (changed.length > 0) {
    lines.push('', style.warn('⚠️  Cross-realm change detected:'));
    for (const e of changed) {
      const details = e.lines.length > 0 || e.schema_changed;
      lines.push(`   Export '${e.name}' ${e.state === 'unpublished' ? 'is not published yet' : 'has local changes'}${details ? ':' : '; `blue realm sync` publishes it.'}`);
      lines.push(...e.lines.map((l) => `   ${l}`));
      if (e.schema_changed) lines.push('   ~ schema changed');
      if (e.awaiting_approval !== undefined) lines.push(`   ⏳ ${e.awaiting_approval.version} (breaking) awaits an approver on realm branch ${e.awaiting_approval.branch}`);
      if (e.consumers.length > 0) lines.push('', '   Consumers:', ...e.consumers.map((c) => `   - ${c.domain} (imports ${c.version})`));
    }
  } else if (r.exports.some((e) => e.state !== 'untrusted')) {
    lines.push('', okLine(`Exports in sync: ${r.exports.filter((e) => e.state !== 'untrusted').map((e) => `${e.name}@${e.published_version ?? '?'}`).join(', ')}`));
  }
  const problems = r.imports.filter((i) => i.status !== 'current');
  for (const status of ['stale', 'broken'] as const) {
    const list = problems.filter((i) => i.status === status);
    if (list.length === 0) continue;
    lines.push('', style.warn(`⚠️  ${status === 'stale' ? 'Stale' : 'Broken'} imports:`));
    for (const i of list) {
      lines.push(`   ${i.contract} from ${i.from}${i.available ? `: ${i.resolved_version ?? '?'} → ${i.available} available` : ''}`, `   Binding: ${i.binding}`);
      // The header says what is available and the list below what the binding lacks; other reasons as they are.
      for (const reason of i.reasons.filter((x) => !x.endsWith(' available') && !x.startsWith(`${i.binding} lacks `))) lines.push(`   ${style.dim(reason)}`);
      lines.push(...missingLines(i), ...coverageDetails(i));
    }
  }
  const current = r.imports.filter((i) => i.status === 'current');
  if (current.length > 0) lines.push('', okLine(`Imports current: ${current.map((i) => `${i.contract}@${i.resolved_version ?? '?'} from ${i.from}${i.available ? ` (${i.available} already covered by ${i.binding})` : ''}`).join(', ')}`));
  for (const i of current) lines.push(...coverageDetails(i));
  if (r.exports.length === 0 && r.imports.length === 0) lines.push('', style.dim('No exports or imports yet (blue realm export / blue realm import).'));
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderCheck(r: CheckRealmResult): string[] {
  const lines = [`Checked realm ${style.bold(r.realm.name || r.realm.path)}: ${r.checked.files} files, ${r.checked.domains} domains, ${r.checked.exports} exports, ${r.checked.imports} imports`];
  for (const f of r.findings) {
    const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : f.domain ? `${f.domain}: ` : '';
    lines.push(`${f.severity === 'error' ? style.error('✗') : style.warn('!')} ${where}${f.message} ${style.dim(`[${f.rule}]`)}`);
  }
  lines.push(r.findings.length === 0 ? okLine('No problems found') : `${r.errors} error(s), ${r.warnings} warning(s)`);
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderSync(r: SyncRealmResult): string[] {
  const lines = [r.dry_run ? `📤 Dry run: what syncing with realm '${r.realm.name}' would do (nothing is written)` : `📤 Syncing with realm '${r.realm.name}'...`];
  const published = r.exports.filter((e) => e.status !== 'unchanged');
  if (r.uncommitted.length > 0) lines.push('', style.warn(`Publishing from uncommitted files (--allow-dirty): ${r.uncommitted.map((f) => f.path).join(', ')}`));
  if (published.length > 0) {
    lines.push('', r.dry_run ? 'Exports that would be published:' : 'Exports updated:');
    for (const e of published) {
      const approval = e.approval?.status === 'pending' ? style.warn(` awaiting approval on realm branch ${e.approval.branch ?? ''}`) : e.approval?.status === 'approved' ? style.dim(` approved by ${e.approval.approved_by ?? ''}`) : '';
      lines.push(`  ${e.name}: ${e.from_version ?? '(new)'} → ${e.to_version ?? '?'}${e.breaking ? style.warn(' (breaking)') : ''}${approval}`, ...e.changes.map((c) => `  ${c}`));
      if (e.consumers.length > 0) lines.push(style.dim(`  consumers: ${e.consumers.join(', ')}`));
    }
  }
  const resolved = r.imports.filter((i) => i.changed || i.status !== 'current');
  if (resolved.length > 0) {
    lines.push('', r.dry_run ? 'Imports that would be recorded:' : 'Imports resolved:');
    for (const i of resolved) {
      lines.push(`  ${i.contract}: ${i.status === 'current' ? `now at ${i.resolved_version ?? '?'}` : `${i.status}${i.reasons.length ? ` (${i.reasons.join('; ')})` : ''}`}`);
    }
  }
  if (r.notifications.length > 0) {
    lines.push('', r.dry_run ? 'Consumers that would be notified:' : 'Consumers notified:');
    for (const n of r.notifications) lines.push(`  ${notificationLine(n)}`);
  }
  for (const c of r.closed_notices.filter((x) => x.status === 'closed')) lines.push(okLine(`Closed ${c.from}'s notice #${c.issue?.number ?? '?'} (${c.export} ${c.version}): ${c.issue?.url ?? ''}`));
  const nothing = published.length === 0 && resolved.length === 0;
  if (nothing) lines.push('', okLine('Nothing to sync: exports and imports are up to date.'));
  else if (r.commit) lines.push('', okLine(`Realm synced (commit ${r.commit.slice(0, 7)}${realmPushNote(r.realm_push)})`));
  return [...lines, ...liveLines(r.live), ...nextSteps(r.next_steps)];
}
