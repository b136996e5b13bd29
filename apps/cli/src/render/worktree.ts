import type { CoordinatedCommitResult, CreateWorktreeResult, FinishChangeResult, GateChangeResult, OpenPullRequestsResult, PushWorktreesResult, RepoOutcome } from '@blue/realm';
import { realmPushNote } from './realm-push.js';
import { nextSteps, okLine, style } from './style.js';

function markOf(o: RepoOutcome): string {
  return o.status === 'ok' ? style.ok('✓') : o.status === 'skipped' ? style.dim('–') : style.error('✗');
}

function hintOf(o: RepoOutcome): string {
  return o.error?.hint ? `\n      ${style.dim(o.error.hint)}` : '';
}

function outcomeLine(o: RepoOutcome): string {
  return `  ${markOf(o)} ${style.bold(o.domain)}: ${o.message}${hintOf(o)}`;
}

export function renderWorktree(r: CreateWorktreeResult): string[] {
  const lines = [`🌳 Unified worktree ${style.bold(r.branch)} for ${r.rfc} in realm '${r.realm.name}':`, ...r.worktrees.map((w) => `${outcomeLine(w)}${w.path ? `\n      ${w.path}` : ''}`)];
  lines.push('', r.tracking.commit ? okLine(`Tracked in the realm: ${r.tracking.file} (commit ${r.tracking.commit.slice(0, 7)}${realmPushNote(r.tracking.realm_push)})`) : style.dim(`Tracking unchanged: ${r.tracking.file}`));
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderCommit(r: CoordinatedCommitResult): string[] {
  const lines = [`📝 Coordinated commit on ${style.bold(r.branch)}: "${r.message}"`, ...r.commits.map(outcomeLine)];
  if (r.recorded) lines.push('', okLine(`${r.linked ? 'Linked commits' : 'Commit'} recorded in ${r.tracking.file}${r.tracking.commit ? ` (commit ${r.tracking.commit.slice(0, 7)}${realmPushNote(r.tracking.realm_push)})` : ''}`));
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderPush(r: PushWorktreesResult): string[] {
  return [`🚀 Pushing ${style.bold(r.branch)}:`, ...r.pushes.map(outcomeLine), ...nextSteps(r.next_steps)];
}

/** As in the RFC: each repo's pull request, its links, and the merge order last. */
export function renderPulls(r: OpenPullRequestsResult): string[] {
  const lines = ['Creating coordinated pull requests:'];
  for (const p of r.pulls) {
    lines.push('', `${style.bold(p.domain)}:`);
    if (p.number === undefined) {
      lines.push(`  ${markOf(p)} ${p.message}${hintOf(p)}`);
      continue;
    }
    lines.push(`  ${markOf(p)} PR #${p.number}: "${p.title ?? ''}"${p.draft === true ? style.dim(' (draft)') : ''}${p.created === false ? style.dim(' (already open)') : ''}`, `    ${style.dim(p.url ?? '')}`, `    Base: ${p.base ?? ''}`);
    if (p.links_to.length > 0) lines.push(`    Links to: ${p.links_to.join(', ')}`);
    if (p.blocked_by.length > 0) lines.push(`    Blocked by: ${p.blocked_by.join(', ')} (merge ${p.blocked_by.map((b) => b.replace(/#\d+$/, '')).join(', ')} first)`);
    if (p.check !== undefined) lines.push(`    Merge check: ${checkMark(p.check.state)} ${p.check.description}`);
    if (p.status === 'failed') lines.push(`    ${style.error(p.message)}${hintOf(p)}`);
  }
  const opened = r.pulls.filter((p) => p.number !== undefined).length;
  lines.push('', `${opened > 1 ? 'PRs are linked. ' : ''}Merge order: ${r.merge_order_line}`);
  return [...lines, ...nextSteps(r.next_steps.filter((s) => !s.startsWith('Merge in this order')))];
}

function checkMark(state: 'pending' | 'success' | 'failure'): string {
  return state === 'success' ? style.ok('✓ success') : state === 'failure' ? style.error('✗ failure') : style.dim('⏳ pending');
}

/** Each change, each pull request with its blue/merge-order check, and what changed. */
export function renderGate(r: GateChangeResult): string[] {
  const lines: string[] = [];
  for (const c of r.changes) {
    lines.push(`🚦 ${style.bold(c.branch)} (${c.rfc}): ${c.merge_order_line}`);
    for (const p of c.pulls) {
      const touched = [p.status_set ? 'status set' : '', p.body_updated ? 'body updated' : ''].filter(Boolean).join(', ');
      lines.push(p.check === undefined ? outcomeLine(p) : `  ${markOf(p)} ${style.bold(p.domain)}#${p.number ?? ''}: ${checkMark(p.check.state)} ${p.check.description}${touched ? style.dim(` (${touched})`) : ''}`);
    }
    if (c.tracking.commit) lines.push(okLine(`Recorded in ${c.tracking.file} (commit ${c.tracking.commit.slice(0, 7)}${realmPushNote(c.tracking.realm_push)})`));
    lines.push('');
  }
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderDone(r: FinishChangeResult): string[] {
  const lines = [`🏁 Finishing ${style.bold(r.branch)}:`, ...r.repos.map(outcomeLine)];
  if (r.left.length > 0) lines.push(style.dim(`Still open on GitHub: ${r.left.join(', ')}`));
  lines.push('', r.finished ? okLine(`Marked finished in ${r.tracking.file}${r.tracking.commit ? ` (commit ${r.tracking.commit.slice(0, 7)}${realmPushNote(r.tracking.realm_push)})` : ''}`) : style.dim(`${r.tracking.file} was already finished`));
  return [...lines, ...nextSteps(r.next_steps)];
}
