import { stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import {
  assertName,
  BlueError,
  domainFilePath,
  readYamlFileIfExists,
  REPO_CONFIG_FILE,
  REPO_EXPORTS_FILE,
  sameRemoteUrl,
  suggestName,
  withIndexDomain,
  writeYamlFile,
  type Admission,
  type DeclaredExport,
  type DomainFile,
  type ImportEntry,
  type PublishedExport,
  type RepoConfigFile,
} from '@blue/core';
import { pushBranch, repoRoot, userEmail } from '@blue/git';
import { parseRepoSlug } from '@blue/github';
import type { BlueContext } from './context.js';
import { findBindingFiles, suggestS3Export } from './detect/index.js';
import { evaluateImportIn } from './evaluate.js';
import { computeLocalExports, publishable, readDeclaredExports } from './local-exports.js';
import { updateIndex } from './store/index-store.js';
import { withRepoFileLock } from './store/locked-file.js';
import { readRepoConfig } from './store/membership.js';
import type { FileChange } from './store/realm-commit.js';
import { readRealmFile, type RealmSnapshot } from './store/realm-files.js';
import { cloneRealm, configuredRemoteUrl } from './store/realm-location.js';
import { realmPushSteps, writeRealm, type PublishResult, type RealmWritePlan } from './store/realm-gate.js';
import { codeownersChange, realmYamlFile, stripCredentials } from './realm-writes.js';

export interface JoinRealmInput {
  /** Path of the realm repo (relative to cwd). */
  realmPath: string;
  /** Domain name (default: the repo folder's name, kebab-cased). */
  as?: string | undefined;
  /** Detect exports and imports from tracked files (default true). */
  detectExports?: boolean | undefined;
  /** The repository on GitHub (`owner/name`) when it cannot be read from the origin URL. */
  github?: string | undefined;
}

export type JoinStatus = 'joined' | 'pending-approval' | 'already-member';

export interface JoinRealmResult {
  status: JoinStatus;
  realm: { name: string; path: string };
  domain: { name: string; repo: string; repo_url?: string; github?: string; maintainers: string[] };
  /** `branch` and whether it reached the realm's remote, when the join awaits an approver. */
  admission: { policy: Admission; approvers: string[]; branch?: string; pushed?: boolean };
  exports: Array<{ name: string; version: string; source: 'value' | 'detect'; values: number }>;
  imports: Array<{ contract: string; from: string; version: string; binding: string; status: ImportEntry['status']; missing: string[] }>;
  /** Files written: in the realm (committed) and in the code repo (not committed). */
  files: { realm: string[]; repo: string[] };
  commit?: string;
  /** Whether the realm commit reached the realm's remote (a join on main; a pending join's branch is in `admission.pushed`). */
  realm_push: PublishResult;
  next_steps: string[];
}

/**
 * Joins the repo around ctx.cwd to a realm as a domain: domain.yaml, detected exports (published
 * at 1.0.0) and imports, CODEOWNERS, in one realm commit; then the repo's .blue/ files and the
 * user's index. Joining again is a no-op that says so. Admission policy: `open` joins on main;
 * `approval` joins on main when the joiner is an approver, else on branch `blue/join/<domain>`
 * for an approver to merge; `invite-only` admits approvers only.
 */
export async function joinRealm(ctx: BlueContext, input: JoinRealmInput): Promise<JoinRealmResult> {
  const env = ctx.git.options;
  const repo = await repoRoot(ctx.cwd, env);
  const { path: realmPath, url: realmUrl } = await realmToJoin(ctx, input.realmPath);
  await readRealmFile(realmPath);
  // The URL as the user configured it, never git's insteadOf rewriting of it (a path on this machine).
  const repoUrl = stripCredentials(await configuredRemoteUrl(ctx, repo));
  const email = await userEmail(repo, env);
  const command = `blue realm join (${basename(repo)})`;
  const written = await writeRealm(ctx, realmPath, { command }, async (snapshot): Promise<RealmWritePlan<Planned>> => {
    const name = input.as ?? (suggestName(basename(repo)) || basename(repo));
    assertName('domain', name);
    const config = await readRepoConfig(repo);
    if (config !== undefined && (config.realm.name !== snapshot.realm.name || config.realm.domain !== name)) {
      throw new BlueError('ALREADY_MEMBER', `${repo} is already the domain "${config.realm.domain}" of realm "${config.realm.name}".`, {
        hint: 'A repo belongs to one realm as one domain for now. Run `blue realm leave` first to move it.',
      });
    }
    const existing = snapshot.domains.find((d) => d.name === name);
    if (existing !== undefined) {
      if ((existing.domain.repo_url ?? '') !== (repoUrl ?? '')) {
        throw new BlueError('DOMAIN_EXISTS', `The realm already has a domain "${name}", joined from ${existing.domain.repo_url ?? 'another repo'}.`, {
          hint: `Join under another name: \`blue realm join ${input.realmPath} --as <name>\`.`,
        });
      }
      return { value: { kind: 'rejoin', name, domain: existing.domain } };
    }
    return planJoin(ctx, { repo, snapshot, name, repoUrl, email, input });
  });
  const snapshot = written.snapshot;
  const planned = written.value;
  if (planned.kind === 'rejoin') return rejoin(ctx, { repo, realmPath, realmUrl, snapshot, name: planned.name, domain: planned.domain, publish: written.publish });
  const { name, domain, branch, published, imports, declared, changes } = planned;
  const commit = branch === undefined ? written.commit : written.branches[0]?.commit;
  if (commit !== undefined) ctx.checkpoint('join:realm-committed');
  // The approver works in their own clone: the join must reach the realm's remote to be seen.
  const pushed = branch === undefined ? undefined : await pushBranch(realmPath, branch, ctx.git.options);

  const policy = snapshot.realm.governance.admission;
  const approvers = snapshot.realm.governance.approvers;
  const repoFiles = await writeRepoSide(ctx, { repo, realmPath, realmUrl, realmName: snapshot.realm.name, name, declared: declared.write ? declared.exports : undefined });
  const result: JoinRealmResult = {
    status: branch === undefined ? 'joined' : 'pending-approval',
    realm: { name: snapshot.realm.name, path: realmPath },
    domain: { name, repo, maintainers: domain.maintainers, ...(repoUrl === undefined ? {} : { repo_url: repoUrl }), ...(domain.github === undefined ? {} : { github: domain.github }) },
    admission: { policy, approvers, ...(branch === undefined ? {} : { branch, pushed: pushed === true }) },
    exports: published.map((p) => ({ name: p.name, version: p.version, source: declared.exports.find((d) => d.name === p.name)?.detect ? 'detect' : 'value', values: countLeaves(p.value) })),
    imports: imports.map((i) => ({ contract: i.entry.contract, from: i.entry.from, version: i.entry.version, binding: i.entry.binding, status: i.entry.status, missing: i.missing })),
    files: { realm: changes.map((c) => c.path), repo: repoFiles },
    realm_push: written.publish,
    next_steps: [
      ...(branch === undefined ? realmPushSteps(written.publish, realmPath) : []),
      ...joinNextSteps(branch === undefined ? undefined : { name: branch, pushed: pushed === true }, approvers, realmPath, repoFiles),
    ],
  };
  if (commit !== undefined) result.commit = commit;
  return result;
}

type Planned =
  | { kind: 'rejoin'; name: string; domain: DomainFile }
  | {
    kind: 'join';
    name: string;
    domain: DomainFile;
    branch: string | undefined;
    declared: { exports: DeclaredExport[]; write: boolean };
    published: PublishedExport[];
    imports: Array<{ entry: ImportEntry; missing: string[] }>;
    changes: FileChange[];
  };

interface JoinRequest {
  repo: string;
  snapshot: RealmSnapshot;
  name: string;
  repoUrl: string | undefined;
  email: string | undefined;
  input: JoinRealmInput;
}

/**
 * The realm commit of a new domain, decided under the realm lock: admission (a branch for an
 * approver when the policy asks for one), domain.yaml, detected exports and imports, CODEOWNERS.
 */
async function planJoin(ctx: BlueContext, request: JoinRequest): Promise<RealmWritePlan<Planned>> {
  const { repo, snapshot, name, repoUrl, email, input } = request;
  const policy = snapshot.realm.governance.admission;
  const approvers = snapshot.realm.governance.approvers;
  const isApprover = email !== undefined && approvers.includes(email);
  if (policy === 'invite-only' && !isApprover) {
    throw new BlueError('ADMISSION_DENIED', `Realm "${snapshot.realm.name}" admits domains by invitation only.`, {
      hint: `Ask an approver (${approvers.join(', ') || 'none listed in realm.yaml'}) to join this repo for you, or to set governance.admission to approval.`,
    });
  }
  const branch = policy === 'approval' && !isApprover ? `blue/join/${name}` : undefined;
  const now = ctx.now();
  const domain: DomainFile = { name, maintainers: email ? [email] : [], joined_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (repoUrl !== undefined) domain.repo_url = repoUrl;
  if (input.github !== undefined) domain.github = githubSlug(input.github);
  const detect = input.detectExports ?? true;
  const declared = await declaredOrDetected(ctx, repo, detect);
  const published = await publishInitial(ctx, repo, declared.exports, now);
  const imports = detect ? await detectImports(ctx, repo, snapshot, name, now) : [];

  const changes: FileChange[] = [realmYamlFile('domain', domainFilePath(name, 'domain.yaml'), domain)];
  if (published.length > 0) changes.push(realmYamlFile('realm-exports', domainFilePath(name, 'exports.yaml'), { exports: published }));
  if (imports.length > 0) changes.push(realmYamlFile('imports', domainFilePath(name, 'imports.yaml'), { imports: imports.map((i) => i.entry) }));
  changes.push(codeownersChange(snapshot, [...snapshot.domains.map((d) => ({ name: d.name, maintainers: d.domain.maintainers })), { name, maintainers: domain.maintainers }]));
  const message = `${name}: join realm ${snapshot.realm.name}\n\nDomain ${name} joins with ${published.length} export(s) and ${imports.length} import(s).`;
  const value: Planned = { kind: 'join', name, domain, branch, declared, published, imports, changes };
  return branch === undefined ? { value, changes, message } : { value, branches: [{ branch, changes, message }] };
}

/** The repo's declarations, or a detected S3 export when it declares none. */
async function declaredOrDetected(ctx: BlueContext, repo: string, detect: boolean): Promise<{ exports: DeclaredExport[]; write: boolean }> {
  const declared = await readDeclaredExports(repo);
  if (declared.length > 0 || !detect) return { exports: declared, write: false };
  const suggestion = await suggestS3Export(ctx, repo);
  if (suggestion === undefined) return { exports: [], write: false };
  return { exports: [{ name: suggestion.name, description: 'S3 paths this repo reads and writes (detected from s3:// literals).', detect: suggestion.rule }], write: true };
}

async function publishInitial(ctx: BlueContext, repo: string, declared: DeclaredExport[], now: Date): Promise<PublishedExport[]> {
  const locals = publishable(await computeLocalExports(ctx, repo, declared));
  return locals.map((local) => {
    const version = local.requested_version ?? '1.0.0';
    const exp: PublishedExport = { name: local.name, version, schema: local.schema, value: local.value, changelog: [{ version, date: now.toISOString().slice(0, 10), changes: ['First published when the domain joined the realm.'] }] };
    if (local.description !== undefined) exp.description = local.description;
    if (local.kind !== undefined) exp.kind = local.kind;
    if (local.bucket !== undefined) exp.bucket = local.bucket;
    return exp;
  });
}

async function detectImports(ctx: BlueContext, repo: string, snapshot: RealmSnapshot, self: string, now: Date): Promise<Array<{ entry: ImportEntry; missing: string[] }>> {
  const candidates = snapshot.domains.filter((d) => d.name !== self).flatMap((d) => d.exports.map((e) => ({ domain: d.name, contract: e.name, value: e.value, version: e.version })));
  if (candidates.length === 0) return [];
  const found = await findBindingFiles(ctx, repo, candidates);
  return Promise.all(found.map(async (f) => {
    const version = candidates.find((c) => c.domain === f.domain && c.contract === f.contract)?.version ?? '1.0.0';
    const entry: ImportEntry = { contract: f.contract, from: f.domain, version: `^${version}`, binding: f.file, status: 'current', resolved_version: version, resolved_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
    // The file found by mention is then read as what it grants (coverage by the export's kind).
    const evaluation = await evaluateImportIn(snapshot, entry, repo, now);
    entry.status = evaluation.status === 'broken' ? 'broken' : evaluation.missing.length === 0 ? 'current' : 'stale';
    if (evaluation.grants !== undefined) entry.grants = evaluation.grants;
    return { entry, missing: evaluation.missing };
  }));
}

interface RepoSide {
  repo: string;
  realmPath: string;
  /** The realm's remote URL as configured (no credentials); undefined for a realm with no remote. */
  realmUrl: string | undefined;
  realmName: string;
  name: string;
  declared: DeclaredExport[] | undefined;
}

/**
 * Writes .blue/config.yaml (and detected .blue/exports.yaml, when the repo has none) each under
 * its lock, and records the repo in the index.
 */
async function writeRepoSide(ctx: BlueContext, side: RepoSide): Promise<string[]> {
  const written: string[] = [];
  const command = `blue realm join (${side.name})`;
  // The committed config is the same on every machine: the realm's URL (a path hint only for a
  // realm with no remote). Joining again from another clone leaves it as it is.
  const wroteConfig = await withRepoFileLock(ctx, side.repo, REPO_CONFIG_FILE, command, async () => {
    const existing = await readRepoConfig(side.repo);
    const realm: RepoConfigFile['realm'] = side.realmUrl !== undefined
      ? { name: side.realmName, url: side.realmUrl, ...(existing?.realm.path === undefined ? {} : { path: existing.realm.path }), domain: side.name }
      : { name: side.realmName, path: relative(side.repo, side.realmPath) || '.', domain: side.name };
    if (existing !== undefined && existing.realm.name === realm.name && existing.realm.domain === realm.domain && (realm.url === undefined ? existing.realm.url === undefined : sameRemoteUrl(existing.realm.url, realm.url))) return false;
    await writeYamlFile('config', join(side.repo, REPO_CONFIG_FILE), { realm }, {
      header: ['Blue: this repository is a domain of a realm.', 'url is the realm\'s remote: every clone of this repo finds (or clones) the realm by it; `blue status` shows the realm state.'],
    });
    return true;
  });
  if (wroteConfig) written.push(REPO_CONFIG_FILE);
  const declared = side.declared;
  if (declared !== undefined) {
    const wrote = await withRepoFileLock(ctx, side.repo, REPO_EXPORTS_FILE, command, async () => {
      if ((await readYamlFileIfExists('repo-exports', join(side.repo, REPO_EXPORTS_FILE))) !== undefined) return false;
      await writeYamlFile('repo-exports', join(side.repo, REPO_EXPORTS_FILE), { exports: declared }, {
        header: ['Blue: what this repository exports to its realm.', 'Each export has a static `value` or `detect` rules; `blue realm sync` publishes changes.'],
      });
      return true;
    });
    if (wrote) written.push(REPO_EXPORTS_FILE);
  }
  await updateIndex(ctx, command, (index) => withIndexDomain(index, { name: side.realmName, path: side.realmPath, ...(side.realmUrl === undefined ? {} : { url: side.realmUrl }) }, { name: side.name, path: side.repo }));
  return written;
}

/** Joining again: the realm already has this repo's domain; make sure the local side is there. */
async function rejoin(ctx: BlueContext, args: { repo: string; realmPath: string; realmUrl: string | undefined; snapshot: RealmSnapshot; name: string; domain: DomainFile; publish: PublishResult }): Promise<JoinRealmResult> {
  const { snapshot, name } = args;
  const repoFiles = await writeRepoSide(ctx, { repo: args.repo, realmPath: args.realmPath, realmUrl: args.realmUrl, realmName: snapshot.realm.name, name, declared: undefined });
  const entry = snapshot.domains.find((d) => d.name === name);
  return {
    status: 'already-member',
    realm: { name: snapshot.realm.name, path: args.realmPath },
    domain: { name, repo: args.repo, maintainers: args.domain.maintainers, ...(args.domain.repo_url === undefined ? {} : { repo_url: args.domain.repo_url }) },
    admission: { policy: snapshot.realm.governance.admission, approvers: snapshot.realm.governance.approvers },
    exports: (entry?.exports ?? []).map((e) => ({ name: e.name, version: e.version, source: 'value', values: countLeaves(e.value) })),
    imports: (entry?.imports ?? []).map((i) => ({ contract: i.contract, from: i.from, version: i.version, binding: i.binding, status: i.status, missing: [] })),
    files: { realm: [], repo: repoFiles },
    realm_push: args.publish,
    next_steps: ['blue status'],
  };
}

function countLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countLeaves(v), 0);
  if (typeof value === 'object' && value !== null) return Object.values(value).reduce((n: number, v) => n + countLeaves(v), 0);
  return 1;
}

function joinNextSteps(branch: { name: string; pushed: boolean } | undefined, approvers: string[], realmPath: string, repoFiles: string[]): string[] {
  const steps: string[] = [];
  const who = approvers.join(', ') || 'see realm.yaml';
  if (branch?.pushed === true) {
    steps.push(`Ask an approver (${who}) to merge the join, pushed to the realm's remote: git fetch origin ${branch.name} && git merge FETCH_HEAD && git push  # in their realm clone`);
  } else if (branch !== undefined) {
    steps.push(`The realm clone has no remote: ask an approver (${who}) to merge the join there: git -C ${realmPath} merge ${branch.name}`);
  }
  if (repoFiles.length > 0) steps.push(`git add ${repoFiles.join(' ')} && git commit -m "Join realm"  # record membership in this repo`);
  steps.push('blue status');
  return steps;
}

function githubSlug(text: string): string {
  const ref = parseRepoSlug(text);
  if (ref === undefined) {
    throw new BlueError('VALUE_INVALID', `--github must name a GitHub repository as owner/name, got "${text}".`, { hint: 'For example: --github letemcook/aperture' });
  }
  return `${ref.owner}/${ref.name}`;
}

/**
 * The realm a join names, by path (a clone on this machine; its origin URL, as configured, is what
 * the repo records) or by URL (this machine's clone of it from the index, else a new clone in
 * $BLUE_HOME/realms/).
 */
async function realmToJoin(ctx: BlueContext, given: string): Promise<{ path: string; url: string | undefined }> {
  const local = resolve(ctx.cwd, given);
  const isDir = async (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);
  // A bare repository on this disk (or a shared drive) is a remote like any URL.
  const bare = (await isDir(join(local, 'objects'))) && (await isDir(join(local, 'refs')));
  if (!bare && (await isDir(local))) {
    return { path: local, url: stripCredentials(await configuredRemoteUrl(ctx, local)) };
  }
  if (bare) return { path: await cloneRealm(ctx, { url: local }), url: local };
  if (!/^[a-z][a-z0-9+.-]*:\/\/|^[^/\s]+@[^/\s:]+:/i.test(given)) {
    throw new BlueError('NOT_IN_REALM', `${given} is neither a folder nor a URL of a realm.`, {
      hint: 'Pass the realm\'s URL (https://…, ssh://…, git@host:org/realm.git, file://…) or the path of a clone of it.',
    });
  }
  return { path: await cloneRealm(ctx, { url: given }), url: stripCredentials(given) };
}
