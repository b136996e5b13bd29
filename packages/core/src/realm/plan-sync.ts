import { classifyBump } from '../diff/bump.js';
import { describeChange } from '../diff/value-diff.js';
import { BlueError } from '../errors.js';
import { REPO_EXPORTS_FILE } from '../layout.js';
import { validateAgainstSchema } from '../validate.js';
import { assertVersion, bumpVersion, compareVersions, type Bump } from '../semver.js';
import type { ExportKind, ImportEntry, ImportStatus, JsonSchemaObject, JsonValue, PublishedExport } from '../types.js';
import type { ImportEvaluation } from './evaluate-import.js';

/** An export as the code repo has it now (declared or detected), ready to compare. */
export interface LocalExportInput {
  name: string;
  description?: string | undefined;
  schema: JsonSchemaObject;
  value: JsonValue;
  requested_version?: string | undefined;
  /** How bindings cover the value (from the detector); recorded with each publication. */
  kind?: ExportKind | undefined;
  /** For `s3-paths` relative to one bucket: the bucket. */
  bucket?: string | undefined;
}

export interface ExportPublication {
  name: string;
  status: 'new' | 'updated' | 'unchanged';
  from_version?: string;
  to_version?: string;
  bump?: Bump;
  breaking: boolean;
  /** `+ training-metrics/experiments/* (write)` lines, as written to the changelog. */
  changes: string[];
}

export interface PublishPlan {
  publications: ExportPublication[];
  /** The domain's exports.yaml content after publishing (published exports not declared locally are kept). */
  exports: PublishedExport[];
}

function day(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Plans what `sync` publishes (DESIGN.md departure 4): each local export compared with its
 * published version; the version bump computed from the diff; a requested version smaller than
 * the computed one refused (VERSION_INVALID, with the computed one in the hint).
 */
export function planPublish(published: readonly PublishedExport[], locals: readonly LocalExportInput[], now: Date): PublishPlan {
  const publications: ExportPublication[] = [];
  const exports = published.map((p) => ({ ...p }));
  for (const local of locals) {
    const problem = validateAgainstSchema(local.schema, local.value)[0];
    if (problem !== undefined) {
      throw new BlueError('SCHEMA_INVALID', `Export "${local.name}": value${problem.path ? `.${problem.path}` : ''} ${problem.message}; nothing was published.`, {
        file: REPO_EXPORTS_FILE,
        hint: `Fix the value (in ${REPO_EXPORTS_FILE}, or the code it is detected from) or its schema in ${REPO_EXPORTS_FILE}, then sync again.`,
      });
    }
    const index = exports.findIndex((p) => p.name === local.name);
    const previous = exports[index];
    if (previous === undefined) {
      const version = local.requested_version === undefined ? '1.0.0' : assertVersion(local.requested_version);
      exports.push(withDescription({ name: local.name, version, schema: local.schema, value: local.value, changelog: [{ version, date: day(now), changes: ['First published.'] }] }, local.description, local));
      publications.push({ name: local.name, status: 'new', to_version: version, breaking: false, changes: ['First published.'] });
      continue;
    }
    const classification = classifyBump(previous, local);
    if (classification.bump === undefined && local.requested_version === undefined) {
      publications.push({ name: local.name, status: 'unchanged', from_version: previous.version, breaking: false, changes: [] });
      continue;
    }
    const computed = classification.bump === undefined ? undefined : bumpVersion(previous.version, classification.bump);
    const version = chooseVersion(local, previous.version, computed);
    const changes = [...classification.value_changes.map(describeChange), ...classification.schema_changes.map((c) => `schema${c.path ? ` ${c.path}` : ''}: ${c.message}`)];
    if ((previous.description ?? '') !== (local.description ?? '')) changes.push('description updated');
    exports[index] = withDescription({ name: local.name, version, schema: local.schema, value: local.value, changelog: [{ version, date: day(now), changes, ...(classification.breaking ? { breaking: true } : {}) }, ...previous.changelog] }, local.description, local);
    const publication: ExportPublication = { name: local.name, status: 'updated', from_version: previous.version, to_version: version, breaking: classification.breaking, changes };
    if (classification.bump !== undefined) publication.bump = classification.bump;
    publications.push(publication);
  }
  return { publications, exports };
}

function chooseVersion(local: LocalExportInput, current: string, computed: string | undefined): string {
  if (local.requested_version === undefined) return computed ?? current;
  const requested = assertVersion(local.requested_version);
  const floor = computed ?? bumpVersion(current, 'patch');
  if (compareVersions(requested, floor) < 0) {
    throw new BlueError('VERSION_INVALID', `Export "${local.name}": the requested version ${requested} is smaller than the change needs (${floor}).`, {
      hint: `Publish as ${floor} or higher: blue realm export --name ${local.name} --version ${floor} (or drop --version to let sync choose).`,
    });
  }
  return requested;
}

function withDescription(exp: PublishedExport, description: string | undefined, local?: LocalExportInput): PublishedExport {
  const out: PublishedExport = description === undefined ? exp : { ...exp, description };
  if (local?.kind !== undefined) out.kind = local.kind;
  if (local?.bucket !== undefined) out.bucket = local.bucket;
  return out;
}

export interface ImportResolution {
  contract: string;
  from: string;
  binding: string;
  status: ImportStatus;
  previous_status: ImportStatus;
  resolved_version?: string;
  previous_version?: string;
  missing: string[];
  reasons: string[];
  /** How the binding covers the value (see ImportEvaluation). */
  coverage?: ImportEvaluation['coverage'];
  values?: ImportEvaluation['values'];
  unused?: ImportEvaluation['unused'];
  notes?: ImportEvaluation['notes'];
  /** The entry to record; equal to the old one when nothing changed. */
  entry: ImportEntry;
  changed: boolean;
}

/**
 * What `sync` records for each import: its live status; the newest satisfying version becomes
 * `resolved_version` only when the binding covers every value (a stale import keeps the version
 * it had), and `resolved_at` moves only when something changed.
 */
export function planResolve(entries: readonly ImportEntry[], evaluations: readonly ImportEvaluation[], now: Date): ImportResolution[] {
  return entries.map((entry, i) => {
    const evaluation = evaluations[i] as ImportEvaluation;
    // Inside a breaking change's grace period the import still needs to move: it stays stale.
    const covered = evaluation.status !== 'broken' && evaluation.missing.length === 0 && evaluation.grace_until === undefined;
    const { grants: _recorded, ...rest } = entry;
    const next: ImportEntry = { ...rest, status: covered ? 'current' : evaluation.status };
    if (covered && evaluation.resolved_version !== undefined) next.resolved_version = evaluation.resolved_version;
    if (evaluation.grants !== undefined) next.grants = evaluation.grants;
    const changed = next.status !== entry.status || next.resolved_version !== entry.resolved_version || JSON.stringify(next.grants) !== JSON.stringify(entry.grants);
    if (changed) next.resolved_at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const resolution: ImportResolution = {
      contract: entry.contract,
      from: entry.from,
      binding: entry.binding,
      status: next.status,
      previous_status: entry.status,
      missing: evaluation.missing,
      reasons: covered ? [] : evaluation.reasons,
      entry: next,
      changed,
    };
    if (evaluation.coverage !== undefined) Object.assign(resolution, { coverage: evaluation.coverage, values: evaluation.values, unused: evaluation.unused, notes: evaluation.notes });
    if (next.resolved_version !== undefined) resolution.resolved_version = next.resolved_version;
    if (entry.resolved_version !== undefined) resolution.previous_version = entry.resolved_version;
    return resolution;
  });
}
