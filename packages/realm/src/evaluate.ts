import { assertPathWithin, BlueError, coverBinding, evaluateImport, exportKind, hasErrno, MAX_YAML_BYTES, readRegularFile, type BindingCoverage, type ImportEntry, type ImportEvaluation } from '@blue/core';
import { domainIn, type RealmSnapshot } from './store/realm-files.js';
import { resolveInside } from './paths.js';

/** Evaluates one import against the realm; the binding is read from `repo` when one is given. */
export async function evaluateImportIn(snapshot: RealmSnapshot, entry: ImportEntry, repo: string | undefined, now: Date): Promise<ImportEvaluation> {
  const provider = domainIn(snapshot, entry.from);
  const published = provider?.exports.find((e) => e.name === entry.contract);
  let bindingMissing: string[] | undefined = [];
  let bindingProblem: string | undefined;
  let coverage: BindingCoverage | undefined;
  if (repo !== undefined && published !== undefined) {
    const binding = await readBinding(repo, entry.binding);
    bindingProblem = binding.problem;
    // By the export's kind: s3-paths through the binding's IAM statements, others textually.
    coverage = binding.text === undefined ? undefined : coverBinding({ kind: exportKind(published), value: published.value, bucket: published.bucket, path: entry.binding, text: binding.text });
    bindingMissing = coverage?.missing;
  }
  return evaluateImport({ entry, providerExists: provider !== undefined, published, bindingMissing, bindingProblem, coverage, now, graceDays: snapshot.realm.governance.breaking_changes.grace_period_days });
}

/** The coverage fields of an evaluation (for results): only those it has. */
export function coverageOf(evaluation: ImportEvaluation): Pick<ImportEvaluation, 'coverage' | 'values' | 'unused' | 'notes'> {
  const { coverage, values, unused, notes } = evaluation;
  return { ...(coverage === undefined ? {} : { coverage }), ...(values === undefined ? {} : { values }), ...(unused === undefined ? {} : { unused }), ...(notes === undefined ? {} : { notes }) };
}

/**
 * The binding file's text; none when it is missing; a problem when its path leads outside the
 * repository (the realm's imports.yaml is shared, so its binding path is not trusted).
 */
async function readBinding(repo: string, binding: string): Promise<{ text?: string; problem?: string }> {
  try {
    const path = resolveInside(repo, binding, 'binding');
    await assertPathWithin(repo, path, binding);
    return { text: (await readRegularFile(path, { label: binding, maxBytes: MAX_YAML_BYTES })).toString('utf8') };
  } catch (err) {
    if (err instanceof BlueError && err.code === 'PATH_INVALID') return { problem: `the binding path ${JSON.stringify(binding)} leads outside the repository, so Blue does not read it` };
    // A FIFO would block the read, a huge file exhaust memory: skipped with a note.
    if (err instanceof BlueError && (err.code === 'FILE_NOT_REGULAR' || err.code === 'FILE_TOO_LARGE')) return { problem: `the binding ${JSON.stringify(binding)} was not read: ${err.message}` };
    if (err instanceof BlueError && err.code === 'NOT_A_DIRECTORY') return {};
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'EISDIR') || hasErrno(err, 'ENOTDIR')) return {};
    throw err;
  }
}
