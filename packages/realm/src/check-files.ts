import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BlueError, domainFilePath, hasErrno, nameProblem, readYamlFileIfExists, REALM_FILE, WORKTREES_DIR, type DomainFileName, type FileKind, type FileKinds } from '@blue/core';
import type { CheckFinding } from './check-realm.js';
import { FILE_POOL_SIZE, mapLimited } from './run-limited.js';
import { blobListing, domainPartsByBlob, domainsFolderIsReal, listDomainFolders, readDomainPart, sortedNames, type BlobReading, type DomainSnapshot, type RealmSnapshot } from './store/realm-files.js';

const DOMAIN_FILES: ReadonlyArray<[DomainFileName, FileKind]> = [
  ['domain.yaml', 'domain'],
  ['exports.yaml', 'realm-exports'],
  ['imports.yaml', 'imports'],
];

/**
 * Reads every realm file, turning each invalid one into a finding instead of stopping, and
 * returns the snapshot of what is valid plus the number of files read.
 */
export async function readRealmLeniently(realmPath: string, findings: CheckFinding[], blobs?: BlobReading): Promise<{ snapshot: RealmSnapshot | undefined; files: number }> {
  let files = 1;
  const [realm, folders, domainsReal] = await Promise.all([tryRead('realm', realmPath, REALM_FILE, findings), listDomainFolders(realmPath), domainsFolderIsReal(realmPath)]);
  const head = await blobListing(realmPath, folders.length, blobs);
  // Read side by side within the file pool (a realm of 10,000 domains under `ulimit -n 256`);
  // each domain's findings are kept apart and appended in the domains' order, as read one by one.
  // A clean clone is read by blob id (see readRealmSnapshot), any other file by file.
  let read: Array<Awaited<ReturnType<typeof readDomainLeniently>>>;
  if (head !== undefined && blobs !== undefined) {
    const part = domainPartsByBlob(realmPath, head, blobs.cache);
    read = await mapLimited(sortedNames(head), FILE_POOL_SIZE, (name) =>
      readDomainLeniently(name, () => Promise.resolve(new Set(head.get(name)?.keys())), (kind, file) => part(kind, name, file)));
  } else {
    read = await mapLimited(folders, FILE_POOL_SIZE, ({ name, real }) =>
      readDomainLeniently(name, async () => new Set(await readdir(join(realmPath, 'domains', name))), (kind, file) => readDomainPart(kind, realmPath, name, file, domainsReal && real)));
  }
  const domains: DomainSnapshot[] = [];
  for (const one of read) {
    files += one.files;
    findings.push(...one.findings);
    if (one.domain !== undefined) domains.push(one.domain);
  }
  files += await checkWorktreeFiles(realmPath, findings);
  return { snapshot: realm === undefined ? undefined : { path: realmPath, realm, domains }, files: files + 1 /* CODEOWNERS */ };
}

/** One domain folder's files (`list`: the names in it; `read`: one of them), each invalid one a finding: the domain when its domain.yaml is valid. */
async function readDomainLeniently(
  name: string,
  list: () => Promise<Set<string>>,
  read: <K extends FileKind>(kind: K, file: DomainFileName) => Promise<FileKinds[K] | undefined>,
): Promise<{ domain?: DomainSnapshot; files: number; findings: CheckFinding[] }> {
  const findings: CheckFinding[] = [];
  const problem = nameProblem(name);
  if (problem !== undefined) {
    findings.push({ rule: 'file-invalid', severity: 'error', file: `domains/${name}`, message: `domain folder name ${JSON.stringify(name)} is invalid: ${problem}` });
    return { files: 0, findings };
  }
  const present = await list();
  const kinds = DOMAIN_FILES.filter(([file]) => present.has(file));
  const values: Partial<{ [K in FileKind]: FileKinds[K] }> = {};
  for (const [file, kind] of kinds) {
    const value = await lenient(domainFilePath(name, file), findings, () => read(kind, file));
    if (value !== undefined) Object.assign(values, { [kind]: value });
  }
  const files = kinds.length;
  const domain = values.domain;
  if (domain === undefined) {
    if (!present.has('domain.yaml')) findings.push({ rule: 'file-invalid', severity: 'error', domain: name, file: domainFilePath(name, 'domain.yaml'), message: 'the domain folder has no domain.yaml' });
    return { files, findings };
  }
  if (domain.name !== name) findings.push({ rule: 'file-invalid', severity: 'error', domain: name, file: domainFilePath(name, 'domain.yaml'), message: `name is "${domain.name}" but the folder is "${name}"` });
  return { domain: { name, domain, exports: values['realm-exports']?.exports ?? [], imports: values.imports?.imports ?? [] }, files, findings };
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
  const each = await mapLimited(names, FILE_POOL_SIZE, async (name) => {
    const own: CheckFinding[] = [];
    await tryRead('worktree', realmPath, `${WORKTREES_DIR}/${name}`, own);
    return own;
  });
  findings.push(...each.flat());
  return names.length;
}

async function tryRead<K extends FileKind>(kind: K, root: string, label: string, findings: CheckFinding[]): Promise<FileKinds[K] | undefined> {
  return lenient(label, findings, () => readYamlFileIfExists(kind, join(root, label), { label, within: root }));
}

/** What `read` gives, or undefined with a finding for the file at `label` when it throws a Blue error. */
async function lenient<T>(label: string, findings: CheckFinding[], read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof BlueError)) throw err;
    const finding: CheckFinding = { rule: 'file-invalid', severity: 'error', file: label, message: err.message };
    if (err.line !== undefined) finding.line = err.line;
    findings.push(finding);
    return undefined;
  }
}
