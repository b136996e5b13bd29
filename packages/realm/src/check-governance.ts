import { CODEOWNERS_FILE, codeownersDrift, parseYaml, REALM_FILE, renderCodeowners, type Governance } from '@blue/core';
import { gitOutput } from '@blue/git';
import type { CheckFinding } from './check-realm.js';
import type { BlueContext } from './context.js';
import { runLimited } from './run-limited.js';
import type { RealmSnapshot } from './store/realm-files.js';

// The governance rules of `blue realm check`: CODEOWNERS is exactly what Blue generates, realm.yaml
// governance changes only by approvers, domain folders written only by their maintainers. Git
// identities are claims (docs/governance.md): these findings name them; branch protection with
// required CODEOWNERS review on the realm remote is what enforces.

/** Who a line or commit says wrote it: author and committer as git recorded them. */
interface Attribution {
  sha: string;
  author: string;
  committer: string;
}

const NOT_COMMITTED = /^0{7,}$/;

function who(a: Attribution): string {
  if (NOT_COMMITTED.test(a.sha)) return 'an uncommitted change in this clone';
  return `commit ${a.sha.slice(0, 7)} by ${a.author}${a.committer === a.author ? '' : ` (committed by ${a.committer})`}`;
}

/**
 * Every CODEOWNERS rule that is not what the domains' maintainers and the approvers imply
 * (renderCodeowners), naming who added it (git blame of the realm), and every generated rule that
 * is missing.
 */
export async function checkCodeownersExact(ctx: BlueContext, snapshot: RealmSnapshot, text: string, findings: CheckFinding[]): Promise<void> {
  const expected = renderCodeowners(snapshot.realm.name, snapshot.realm.governance.approvers, snapshot.domains.map((d) => ({ name: d.name, maintainers: d.domain.maintainers })));
  const drift = codeownersDrift(text, expected);
  if (drift.unexpected.length === 0 && drift.missing.length === 0) return;
  const blame = drift.unexpected.length > 0 ? await blameLines(ctx, snapshot.path, CODEOWNERS_FILE) : new Map<number, Attribution>();
  // Lines the per-domain rule reported already are not reported twice.
  const reported = new Set(findings.filter((f) => f.rule === 'codeowners' && f.line !== undefined).map((f) => f.line));
  for (const rule of drift.unexpected.filter((r) => !reported.has(r.line))) {
    const origin = blame.get(rule.line);
    findings.push({ rule: 'codeowners', severity: 'error', file: CODEOWNERS_FILE, line: rule.line, message: `line ${rule.line} "${[rule.pattern, ...rule.owners].join(' ')}" is not what the domains' maintainers and the approvers imply (Blue generates CODEOWNERS)${origin === undefined ? '' : `; added by ${who(origin)}`}` });
  }
  for (const line of drift.missing) {
    if (findings.some((f) => f.rule === 'codeowners' && f.message.includes(line.split(' ')[0] ?? line))) continue;
    findings.push({ rule: 'codeowners', severity: 'error', file: CODEOWNERS_FILE, message: `the line "${line}" is missing` });
  }
}

/** `git blame` of `file` in the realm: final line number -> who. Empty when git cannot blame it (untracked, no commits). */
async function blameLines(ctx: BlueContext, realmPath: string, file: string): Promise<Map<number, Attribution>> {
  const out = await ctx.git.output(realmPath, ['blame', '--line-porcelain', '--', file]).catch(() => '');
  const lines = new Map<number, Attribution>();
  let current: { sha: string; line: number; author?: string; committer?: string } | undefined;
  for (const row of out.split('\n')) {
    const header = /^([0-9a-f]{40}) \d+ (\d+)/.exec(row);
    if (header !== null) current = { sha: header[1] ?? '', line: Number(header[2]) };
    else if (current !== undefined && row.startsWith('author-mail ')) current.author = row.slice(12).replace(/^<|>$/g, '');
    else if (current !== undefined && row.startsWith('committer-mail ')) current.committer = row.slice(15).replace(/^<|>$/g, '');
    else if (current !== undefined && row.startsWith('\t')) {
      lines.set(current.line, { sha: current.sha, author: current.author ?? '?', committer: current.committer ?? '?' });
      current = undefined;
    }
  }
  return lines;
}

/**
 * Commits that changed realm.yaml's governance without both their author and their committer
 * being approvers as realm.yaml listed them just before (so adding oneself to the approvers does
 * not count). The realm's first commit creates it and is not judged.
 */
export async function checkGovernanceHistory(ctx: BlueContext, snapshot: RealmSnapshot, findings: CheckFinding[], history: HistoryScope = {}): Promise<void> {
  const env = ctx.git.options;
  const log = await gitOutput(snapshot.path, ['log', '--no-merges', '--format=%H%x1f%P%x1f%ae%x1f%ce', ...historyRange(history), '--', REALM_FILE], env).catch(() => '');
  const commits = log.split('\n').filter(Boolean).map((row) => {
    const [sha = '', parents = '', author = '', committer = ''] = row.split('\x1f');
    return { sha, parent: parents.split(' ')[0] ?? '', author, committer };
  }).filter((c) => c.parent !== '');
  const found: Array<CheckFinding | undefined> = new Array<CheckFinding | undefined>(commits.length);
  await runLimited(commits.map((c, i) => async () => {
    const [before, after] = await Promise.all([governanceAt(ctx, snapshot.path, c.parent), governanceAt(ctx, snapshot.path, c.sha)]);
    if (before === undefined || after === undefined) return;
    const change = describeGovernanceChange(before, after);
    const allowed = new Set(before.approvers);
    if (change === '' || (allowed.has(c.author) && allowed.has(c.committer))) return;
    found[i] = { rule: 'governance-change', severity: 'error', file: REALM_FILE, message: `${who(c)} changed realm.yaml governance (${change}), but only an approver listed before the change (${before.approvers.join(', ') || 'none'}) may change it` };
  }), 4);
  for (const f of found) if (f !== undefined) findings.push(f);
}

/** realm.yaml's governance at `rev`, or undefined when it is missing or does not parse. */
async function governanceAt(ctx: BlueContext, realmPath: string, rev: string): Promise<Governance | undefined> {
  const text = await ctx.git.output(realmPath, ['show', `${rev}:${REALM_FILE}`]).catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const value = parseYaml(text, REALM_FILE).value as { governance?: Governance } | null;
    return value?.governance;
  } catch {
    return undefined;
  }
}

/** What changed between two governance blocks, '' when nothing did (key order and layout do not count). */
function describeGovernanceChange(before: Governance, after: Governance): string {
  const parts: string[] = [];
  if (!Array.isArray(before.approvers) || !Array.isArray(after.approvers)) return JSON.stringify(before) === JSON.stringify(after) ? '' : 'malformed';
  const added = after.approvers.filter((a) => !before.approvers.includes(a));
  const removed = before.approvers.filter((a) => !after.approvers.includes(a));
  if (added.length > 0) parts.push(`approvers +${added.join(' +')}`);
  if (removed.length > 0) parts.push(`approvers -${removed.join(' -')}`);
  if (before.admission !== after.admission) parts.push(`admission ${before.admission} → ${after.admission}`);
  // Granting a bot a domain lets its commits there pass the foreign-write rule: a governance change like any.
  const bots = (g: Governance): string[] => (Array.isArray(g.bots) ? g.bots.map((b) => `${b.email}:${[...(b.domains ?? [])].sort().join(',')}`).sort() : []);
  if (JSON.stringify(bots(before)) !== JSON.stringify(bots(after))) parts.push(`bots ${bots(before).join(' ') || 'none'} → ${bots(after).join(' ') || 'none'}`);
  for (const key of ['require_approval', 'grace_period_days'] as const) {
    if (before.breaking_changes?.[key] !== after.breaking_changes?.[key]) parts.push(`breaking_changes.${key} ${String(before.breaking_changes?.[key])} → ${String(after.breaking_changes?.[key])}`);
  }
  return parts.join(', ');
}

/** Which part of the realm's history the history rules read: all of it, or what came after `since`. */
export interface HistoryScope {
  /** A realm revision: only commits after it count (`since..HEAD`), as a pull request gate wants. */
  since?: string | undefined;
}

function historyRange(history: HistoryScope): string[] {
  return history.since === undefined ? [] : [`${history.since}..HEAD`];
}

/**
 * Commits that changed a domain's folder whose author or committer is neither one of its
 * maintainers, an approver, nor a bot granted that domain (realm.yaml `governance.bots`); both
 * identities are named, so `git commit --author=<maintainer>` by someone else still shows. A
 * commit undone by a later `git revert` (and that revert) no longer counts: one past mistake,
 * reverted, does not fail every check forever.
 */
export async function checkForeignWrites(ctx: BlueContext, snapshot: RealmSnapshot, findings: CheckFinding[], history: HistoryScope = {}): Promise<void> {
  const approvers = new Set(snapshot.realm.governance.approvers);
  const domains = new Map(snapshot.domains.map((d) => [d.name, d]));
  const bots = snapshot.realm.governance.bots ?? [];
  const range = historyRange(history);
  const [log, reverted] = await Promise.all([
    ctx.git.output(snapshot.path, ['log', '--no-merges', '--format=%x1e%H%x1f%ae%x1f%ce', '--name-only', ...range, '--', 'domains/']).catch(() => ''),
    revertedPairs(ctx, snapshot.path, range),
  ]);
  for (const record of log.split('\x1e').filter((r) => r.trim() !== '')) {
    const [head = '', ...paths] = record.trim().split('\n');
    const [sha = '', author = '', committer = ''] = head.split('\x1f');
    if (reverted.has(sha)) continue;
    const touched = new Set(paths.map((p) => p.split('/')[1] ?? '').filter((n) => n !== ''));
    for (const name of touched) {
      const domain = domains.get(name);
      if (domain === undefined || domain.domain.maintainers.length === 0) continue;
      // The realm's approvers write in domain folders by design: `blue realm approve` publishes a held breaking change.
      const allowed = (email: string): boolean => domain.domain.maintainers.includes(email) || approvers.has(email) || bots.some((b) => b.email === email && (b.domains.includes(name) || b.domains.includes('*')));
      if (allowed(author) && allowed(committer)) continue;
      findings.push({ rule: 'foreign-write', severity: 'error', domain: name, message: `${who({ sha, author, committer })} changed domains/${name}/, whose maintainers are ${domain.domain.maintainers.join(', ')} (and the realm's approvers and granted bots)` });
    }
  }
}

const REVERTS = /^This reverts commit ([0-9a-f]{40})\b/m;

/**
 * Commits a later `git revert` undid, with those reverts: their net effect on the realm is nothing.
 * A revert that was itself reverted undoes nothing (its target's effect is back).
 */
async function revertedPairs(ctx: BlueContext, realmPath: string, range: readonly string[]): Promise<Set<string>> {
  const log = await ctx.git.output(realmPath, ['log', '--no-merges', '--format=%x1e%H%x1f%B', ...range, '--', 'domains/']).catch(() => '');
  const undoes = new Map<string, string>();
  for (const record of log.split('\x1e')) {
    const [sha = '', body = ''] = record.split('\x1f');
    const undone = REVERTS.exec(body)?.[1];
    if (undone !== undefined && sha.trim() !== '') undoes.set(sha.trim(), undone);
  }
  const undoneBy = new Map([...undoes].map(([revert, target]) => [target, revert]));
  // A revert stands unless a revert that stands undid it (chains alternate).
  const stands = (revert: string, depth = 0): boolean => {
    const undoer = undoneBy.get(revert);
    return undoer === undefined || depth > 64 || !stands(undoer, depth + 1);
  };
  const shas = new Set<string>();
  for (const [revert, target] of undoes) {
    if (!stands(revert)) continue;
    shas.add(revert);
    shas.add(target);
  }
  return shas;
}
