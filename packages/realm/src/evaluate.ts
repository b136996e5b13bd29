import { readFile } from 'node:fs/promises';
import { bindingCoverage, evaluateImport, hasErrno, type ImportEntry, type ImportEvaluation } from '@blue/core';
import type { RealmSnapshot } from './store/realm-files.js';
import { resolveInside } from './paths.js';

/** Evaluates one import against the realm; the binding is read from `repo` when one is given. */
export async function evaluateImportIn(snapshot: RealmSnapshot, entry: ImportEntry, repo: string | undefined, now: Date): Promise<ImportEvaluation> {
  const provider = snapshot.domains.find((d) => d.name === entry.from);
  const published = provider?.exports.find((e) => e.name === entry.contract);
  let bindingMissing: string[] | undefined = [];
  if (repo !== undefined && published !== undefined) {
    const text = await readBinding(repo, entry.binding);
    bindingMissing = text === undefined ? undefined : bindingCoverage(published.value, text).missing;
  }
  return evaluateImport({ entry, providerExists: provider !== undefined, published, bindingMissing, now, graceDays: snapshot.realm.governance.breaking_changes.grace_period_days });
}

async function readBinding(repo: string, binding: string): Promise<string | undefined> {
  try {
    return await readFile(resolveInside(repo, binding, 'binding'), 'utf8');
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'EISDIR')) return undefined;
    throw err;
  }
}
