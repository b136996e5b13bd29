import { join } from 'node:path';
import { BlueError, checkCodeowners, CODEOWNERS_FILE, MAX_YAML_BYTES, readRegularFile, diffValues, domainFilePath, findCycles, hasErrno, jsonEqual, shellCommand, validateAgainstSchema } from '@blue/core';
import type { BlueContext } from './context.js';
import { readRealmLeniently } from './check-files.js';
import { checkCodeownersExact, checkForeignWrites, checkGovernanceHistory, type HistoryScope } from './check-governance.js';
import { evaluateImportIn } from './evaluate.js';
import { computeLocalExports, readDeclaredExports } from './local-exports.js';
import { locateRealm } from './store/locate-realm.js';
import { awaitRealmWriters } from './store/realm-gate.js';
import { sharedRepos } from './repo-claim.js';
import { deepenRealm, freshenRealm, freshnessSteps, type RealmFreshness } from './store/realm-freshness.js';
import type { Membership } from './store/membership.js';
import { loadBlobCache, saveBlobCache } from './store/blob-cache-file.js';
import { readRealmFile, type BlobReading, type RealmSnapshot } from './store/realm-files.js';
import { checkedAgainstFiles, verifiesCache } from './store/cache-check.js';

/** Every rule `blue realm check` reports, in report order: the one list the faces' schemas and formats use. */
export const CHECK_RULES = ['file-invalid', 'export-value-invalid', 'export-untrusted', 'export-drift', 'import-broken', 'import-stale', 'import-cycle', 'codeowners', 'governance-change', 'foreign-write', 'repo-claimed-twice'] as const;

export type CheckRule = (typeof CHECK_RULES)[number];

export interface CheckFinding {
  rule: CheckRule;
  severity: 'error' | 'warning';
  message: string;
  domain?: string;
  file?: string;
  line?: number;
  /** With `domain` in the input: another domain's problem, reported as a warning (it never fails this domain's check). */
  other_domain?: boolean;
}

export interface CheckRealmInput {
  /** Only the export checks (values against schemas, local drift). */
  exports?: boolean | undefined;
  /** Only the import checks (ranges, staleness, cycles). */
  imports?: boolean | undefined;
  /** Warnings (stale imports, drift) count as problems too. */
  strict?: boolean | undefined;
  /** Never fetch the realm's remote (also BLUE_OFFLINE=1). */
  offline?: boolean | undefined;
  /** Scope to this domain: other domains' problems become warnings (a pull request gate's view). */
  domain?: string | undefined;
  /** History rules (governance changes, foreign writes) read only realm commits after this revision. */
  since?: string | undefined;
}

export interface CheckRealmResult {
  /** The realm, and how fresh this machine's view of it is. */
  realm: RealmFreshness;
  /** The member domain the check ran from, when it ran in a code repo. */
  domain?: string;
  scope: { structure: boolean; exports: boolean; imports: boolean };
  checked: { files: number; domains: number; exports: number; imports: number };
  findings: CheckFinding[];
  errors: number;
  warnings: number;
  /** Some realm file is malformed or schema-invalid (the CLI exits 3). */
  invalid_files: boolean;
  ok: boolean;
  /** Commands to run next, from the kinds of findings; empty when there are none. */
  next_steps: string[];
}

/**
 * Validates the whole realm: every file against its schema, every export value against its
 * schema, every import (range, provider, contract; binding when run from the importing repo), no
 * import cycles, CODEOWNERS matching the domains, and domain folders written only by their
 * maintainers; from a member repo, also that repo's local export drift.
 */
export async function checkRealm(ctx: BlueContext, input: CheckRealmInput = {}): Promise<CheckRealmResult> {
  const { realmPath, member } = await locateRealm(ctx);
  const only = input.exports || input.imports;
  const scope = { structure: !only, exports: !only || input.exports === true, imports: !only || input.imports === true };
  const findings: CheckFinding[] = [];
  const name = member?.realm.name ?? (await readRealmFile(realmPath).then((r) => r.name, () => ''));
  const view = await freshenRealm(ctx, { name, path: realmPath }, input);
  const [cache] = await Promise.all([loadBlobCache(ctx.home), awaitRealmWriters(ctx, realmPath)]);
  const blobs = { cache, git: ctx.git.options, ...(verifiesCache(ctx.env) ? { minDomains: 0 } : {}) };
  const lenient = async (reading?: BlobReading) => {
    const found: CheckFinding[] = [];
    return { ...(await readRealmLeniently(realmPath, found, reading)), found };
  };
  const { snapshot, files, found } = await checkedAgainstFiles(ctx.env, ctx.git.options, realmPath, () => lenient(blobs), () => lenient());
  findings.push(...found);
  await saveBlobCache(ctx.home);
  const counts = { files, domains: snapshot?.domains.length ?? 0, exports: 0, imports: 0 };
  if (snapshot !== undefined) {
    if (scope.exports) counts.exports = await checkExports(ctx, snapshot, member, findings);
    if (scope.imports) counts.imports = await checkImports(ctx, snapshot, member, findings);
    if (scope.structure) {
      // The history rules (foreign-write, governance-change, CODEOWNERS blame) need the realm's history.
      const shallow = await deepenRealm(ctx, realmPath, input);
      if (shallow !== undefined) findings.push({ rule: 'foreign-write', severity: 'warning', message: `history not checked: ${shallow}` });
      await checkStructure(ctx, snapshot, findings, { since: input.since === undefined ? undefined : await realmRevision(ctx, realmPath, input.since) });
    }
    if (input.domain !== undefined) scopeToDomain(snapshot, input.domain, findings);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const result: CheckRealmResult = {
    realm: { ...view, name: snapshot?.realm.name ?? name },
    scope,
    checked: counts,
    findings,
    errors,
    warnings,
    invalid_files: findings.some((f) => f.rule === 'file-invalid'),
    ok: errors === 0 && (!input.strict || warnings === 0),
    next_steps: [...freshnessSteps(view), ...checkNextSteps(findings)],
  };
  if (member !== undefined) result.domain = member.domain;
  return result;
}

/** The commit `rev` names in the realm clone (a SHA, a branch, `origin/main`), else VALUE_INVALID. */
async function realmRevision(ctx: BlueContext, realmPath: string, rev: string): Promise<string> {
  const sha = rev.startsWith('-') ? undefined : await ctx.git.output(realmPath, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).catch(() => undefined);
  if (sha === undefined || sha.trim() === '') {
    throw new BlueError('VALUE_INVALID', `--since ${JSON.stringify(rev)} names no commit of the realm clone at ${realmPath}.`, {
      hint: 'Pass a realm revision: a commit SHA, a branch or origin/main (fetched), e.g. the realm commit the pull request started from.',
    });
  }
  return sha.trim();
}

/** Other domains' errors become warnings marked `other_domain`: this domain's gate never fails for them. */
function scopeToDomain(snapshot: RealmSnapshot, domain: string, findings: CheckFinding[]): void {
  if (!snapshot.domains.some((d) => d.name === domain)) {
    throw new BlueError('UNKNOWN_DOMAIN', `The realm ${JSON.stringify(snapshot.realm.name)} has no domain ${JSON.stringify(domain)}.`, {
      hint: `Pass one of its domains (${snapshot.domains.map((d) => d.name).join(', ') || 'none yet'}), or join it first: blue realm join`,
    });
  }
  for (const f of findings) {
    if (f.domain === undefined || f.domain === domain) continue;
    f.other_domain = true;
    f.severity = 'warning';
  }
}

async function checkExports(ctx: BlueContext, snapshot: RealmSnapshot, member: Membership | undefined, findings: CheckFinding[]): Promise<number> {
  let count = 0;
  for (const d of snapshot.domains) {
    for (const exp of d.exports) {
      count++;
      const problem = validateAgainstSchema(exp.schema, exp.value)[0];
      if (problem) findings.push({ rule: 'export-value-invalid', severity: 'error', domain: d.name, file: domainFilePath(d.name, 'exports.yaml'), message: problem.code === 'SCHEMA_UNSAFE' ? `SCHEMA_UNSAFE: export "${exp.name}" ${exp.version}: its schema ${problem.message}` : `export "${exp.name}" ${exp.version}: value${problem.path ? `.${problem.path}` : ''} ${problem.message}` });
    }
  }
  if (member !== undefined) {
    const published = snapshot.domains.find((d) => d.name === member.domain)?.exports ?? [];
    for (const local of await computeLocalExports(ctx, member.repo, await readDeclaredExports(member.repo), published)) {
      if (local.untrusted !== undefined) {
        findings.push({ rule: 'export-untrusted', severity: 'warning', domain: member.domain, message: `export "${local.name}" is untrusted: this repo declares the command ${shellCommand(local.untrusted.command)}, which you have not trusted, so it did not run (a person allows it with: ${local.untrusted.allow})` });
        continue;
      }
      const pub = published.find((p) => p.name === local.name);
      const changes = pub ? diffValues(pub.value, local.value) : [];
      if (pub === undefined || changes.length > 0 || !jsonEqual(pub.schema, local.schema)) {
        findings.push({ rule: 'export-drift', severity: 'warning', domain: member.domain, message: pub === undefined ? `export "${local.name}" is declared locally but not published; run blue realm sync` : `export "${local.name}" has local changes (${changes.length} value change(s)) not published; run blue realm sync` });
      }
    }
  }
  return count;
}

async function checkImports(ctx: BlueContext, snapshot: RealmSnapshot, member: Membership | undefined, findings: CheckFinding[]): Promise<number> {
  let count = 0;
  const now = ctx.now();
  for (const d of snapshot.domains) {
    for (const entry of d.imports) {
      count++;
      const repo = member?.domain === d.name ? member.repo : undefined;
      const evaluation = await evaluateImportIn(snapshot, entry, repo, now);
      if (evaluation.status === 'current') continue;
      const broken = evaluation.status === 'broken';
      findings.push({ rule: broken ? 'import-broken' : 'import-stale', severity: broken ? 'error' : 'warning', domain: d.name, file: domainFilePath(d.name, 'imports.yaml'), message: `import "${entry.contract}" from ${entry.from} (${entry.version}) is ${evaluation.status}: ${evaluation.reasons.join('; ')}` });
    }
  }
  const edges = snapshot.domains.flatMap((d) => d.imports.map((i) => ({ from: i.from, to: d.name })));
  for (const cycle of findCycles({ nodes: snapshot.domains.map((d) => d.name), edges })) {
    findings.push({ rule: 'import-cycle', severity: 'error', message: `imports form a cycle: ${cycle.join(' → ')}` });
  }
  return count;
}

async function checkStructure(ctx: BlueContext, snapshot: RealmSnapshot, findings: CheckFinding[], history: HistoryScope): Promise<void> {
  let codeowners = '';
  try {
    codeowners = (await readRegularFile(join(snapshot.path, CODEOWNERS_FILE), { label: CODEOWNERS_FILE, maxBytes: MAX_YAML_BYTES })).toString('utf8');
  } catch (err) {
    if (err instanceof BlueError && err.code !== 'INTERNAL') {
      findings.push({ rule: 'codeowners', severity: 'error', file: CODEOWNERS_FILE, message: err.message });
      return;
    }
    if (!hasErrno(err, 'ENOENT')) throw err;
  }
  for (const p of checkCodeowners(codeowners, snapshot.domains.map((d) => ({ name: d.name, maintainers: d.domain.maintainers })))) {
    const finding: CheckFinding = { rule: 'codeowners', severity: 'error', file: CODEOWNERS_FILE, message: p.message };
    if (p.domain !== undefined) finding.domain = p.domain;
    if (p.line !== undefined) finding.line = p.line;
    findings.push(finding);
  }
  await checkCodeownersExact(ctx, snapshot, codeowners, findings);
  for (const [repo, names] of sharedRepos(snapshot.domains)) {
    const last = names.at(-1) ?? '';
    findings.push({ rule: 'repo-claimed-twice', severity: 'error', domain: last, file: domainFilePath(last, 'domain.yaml'), message: `domains ${names.join(', ')} all name the GitHub repository ${repo}: Blue notifies none of them until an approver corrects the wrong domain.yaml` });
  }
  await checkGovernanceHistory(ctx, snapshot, findings, history);
  await checkForeignWrites(ctx, snapshot, findings, history);
}

/** One short hint per kind of finding, in a stable order. */
function checkNextSteps(findings: readonly CheckFinding[]): string[] {
  const rules = new Set(findings.map((f) => f.rule));
  const steps: string[] = [];
  const fixable = findings.filter((f) => f.rule !== 'export-drift' && f.rule !== 'import-stale' && f.rule !== 'export-untrusted');
  if (fixable.length > 0) steps.push('Fix what the findings name (file or domain), then: blue realm check');
  if (rules.has('export-untrusted')) steps.push('blue status  # shows each untrusted command; a person who trusts it runs: blue trust allow --export <name>');
  if (rules.has('export-drift')) steps.push('blue realm sync --dry-run  # then blue realm sync, to publish the local export changes');
  const lagging = [...new Set(findings.filter((f) => f.rule === 'import-stale' || f.rule === 'import-broken').map((f) => f.domain).filter((d) => d !== undefined))];
  for (const domain of lagging) steps.push(`blue status  # in ${domain}'s repo: what its imports need`);
  return steps;
}
