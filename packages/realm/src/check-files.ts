import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BlueError, domainFilePath, hasErrno, nameProblem, readYamlFileIfExists, REALM_FILE, WORKTREES_DIR, type DomainFileName, type FileKind, type FileKinds } from '@blue/core';
import type { CheckFinding } from './check-realm.js';
import { listDomainNames, type DomainSnapshot, type RealmSnapshot } from './store/realm-files.js';

const DOMAIN_FILES: ReadonlyArray<[DomainFileName, FileKind]> = [
  ['domain.yaml', 'domain'],
  ['exports.yaml', 'realm-exports'],
  ['imports.yaml', 'imports'],
];

/**
 * Reads every realm file, turning each invalid one into a finding instead of stopping, and
 * returns the snapshot of what is valid plus the number of files read.
 */
export async function readRealmLeniently(realmPath: string, findings: CheckFinding[]): Promise<{ snapshot: RealmSnapshot | undefined; files: number }> {
  let files = 1;
  const realm = await tryRead('realm', realmPath, REALM_FILE, findings);
  const domains: DomainSnapshot[] = [];
  for (const name of await listDomainNames(realmPath)) {
    const problem = nameProblem(name);
    if (problem !== undefined) {
      findings.push({ rule: 'file-invalid', severity: 'error', file: `domains/${name}`, message: `domain folder name ${JSON.stringify(name)} is invalid: ${problem}` });
      continue;
    }
    const present = new Set(await readdir(join(realmPath, 'domains', name)));
    const values: Partial<{ [K in FileKind]: FileKinds[K] }> = {};
    for (const [file, kind] of DOMAIN_FILES) {
      if (!present.has(file)) continue;
      files++;
      const value = await tryRead(kind, realmPath, domainFilePath(name, file), findings);
      if (value !== undefined) Object.assign(values, { [kind]: value });
    }
    const domain = values.domain;
    if (domain === undefined) {
      if (!present.has('domain.yaml')) findings.push({ rule: 'file-invalid', severity: 'error', domain: name, file: domainFilePath(name, 'domain.yaml'), message: 'the domain folder has no domain.yaml' });
      continue;
    }
    if (domain.name !== name) findings.push({ rule: 'file-invalid', severity: 'error', domain: name, file: domainFilePath(name, 'domain.yaml'), message: `name is "${domain.name}" but the folder is "${name}"` });
    domains.push({ name, domain, exports: values['realm-exports']?.exports ?? [], imports: values.imports?.imports ?? [] });
  }
  files += await checkWorktreeFiles(realmPath, findings);
  return { snapshot: realm === undefined ? undefined : { path: realmPath, realm, domains }, files: files + 1 /* CODEOWNERS */ };
}

/** Validates every worktree tracking file (branch names, PR URLs are shown in hints): findings for those that fail. */
async function checkWorktreeFiles(realmPath: string, findings: CheckFinding[]): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(join(realmPath, WORKTREES_DIR))).filter((n) => n.endsWith('.yaml')).sort();
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) return 0;
    throw err;
  }
  for (const name of names) await tryRead('worktree', realmPath, `${WORKTREES_DIR}/${name}`, findings);
  return names.length;
}

async function tryRead<K extends FileKind>(kind: K, root: string, label: string, findings: CheckFinding[]): Promise<FileKinds[K] | undefined> {
  try {
    return await readYamlFileIfExists(kind, join(root, label), { label, within: root });
  } catch (err) {
    if (!(err instanceof BlueError)) throw err;
    const finding: CheckFinding = { rule: 'file-invalid', severity: 'error', file: label, message: err.message };
    if (err.line !== undefined) finding.line = err.line;
    findings.push(finding);
    return undefined;
  }
}

