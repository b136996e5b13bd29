import type { BindingCoverage, CoveredValue, UnusedGrant } from '../grants/s3-coverage.js';
import { compareVersions, newestSatisfying } from '../semver.js';
import type { ImportEntry, ImportStatus, PublishedExport } from '../types.js';
import { validateAgainstSchema } from '../validate.js';

export interface ImportEvaluationInput {
  entry: ImportEntry;
  /** Whether the providing domain is in the realm. */
  providerExists: boolean;
  /** The provider's published export of that name, if any. */
  published: PublishedExport | undefined;
  /** Values of the export missing from the binding file; undefined when the file is missing. */
  bindingMissing: string[] | undefined;
  /** Why the binding cannot be read at all (e.g. its path leads outside the repository). */
  bindingProblem?: string | undefined;
  /** How the binding covers the value (see coverBinding); its `missing` is `bindingMissing`. */
  coverage?: BindingCoverage | undefined;
  now: Date;
  /** The realm's `governance.breaking_changes.grace_period_days` (default 0: no grace). */
  graceDays?: number;
}

export interface ImportEvaluation {
  status: ImportStatus;
  /** The newest published version that satisfies the range (what the import resolves to). */
  resolved_version?: string;
  /** The provider's current version, when it differs from what the import resolved to last. */
  available?: string;
  /** Why the import is stale or broken, one sentence each. */
  reasons: string[];
  /** Binding drift: values of the export the binding file does not contain. */
  missing: string[];
  /** When a breaking change left the import's range: the deadline after which it is broken. */
  grace_until?: string;
  /** `policy`: the binding's IAM statements were read; `textual`: values count when the file mentions them. */
  coverage?: 'policy' | 'textual';
  /** Each value of the export and what covers it (`covered_by`), or why nothing does (`reason`). */
  values?: CoveredValue[];
  /** Grants of the binding no current value needs (least-privilege hint, never a failure). */
  unused?: UnusedGrant[];
  /** What Blue could not evaluate in the binding, one sentence each. */
  notes?: string[];
  /** The binding's object grants in the export's bucket (recorded in imports.yaml, see ImportEntry.grants). */
  grants?: { read: string[]; write: string[] };
}

/** Every version the provider has published, newest first (current + changelog). */
export function publishedVersions(published: PublishedExport): string[] {
  const all = new Set([published.version, ...published.changelog.map((c) => c.version)]);
  return [...all].sort((a, b) => compareVersions(b, a));
}

/**
 * The status of one import (DESIGN.md departure 5): `broken` when the contract is gone, no
 * published version satisfies the range (after any grace period), the value fails its schema or
 * the binding file is missing or unreadable; `stale` when a newer satisfying version exists than the one
 * recorded (unless the binding, read as a policy, already covers it), the binding does not cover
 * values, or a breaking change is inside its grace period; else `current`.
 */
export function evaluateImport(input: ImportEvaluationInput): ImportEvaluation {
  const { entry, published } = input;
  const broken = (reason: string): ImportEvaluation => ({ status: 'broken', reasons: [reason], missing: [] });
  if (!input.providerExists) return broken(`domain "${entry.from}" is not in the realm`);
  if (published === undefined) return broken(`"${entry.from}" does not export "${entry.contract}"`);
  const resolved = newestSatisfying(publishedVersions(published), entry.version);
  const graceUntil = resolved === published.version ? undefined : graceDeadline(entry, published, input.graceDays ?? 0);
  const inGrace = graceUntil !== undefined && Date.parse(graceUntil) > input.now.getTime();
  if (resolved !== published.version && !inGrace) {
    const reason = resolved === undefined
      ? `no published version of "${entry.contract}" satisfies ${entry.version} (current is ${published.version})`
      : `"${entry.contract}" ${published.version} is outside ${entry.version}; only its current value is published`;
    return { ...broken(graceUntil === undefined ? reason : `${reason}; the grace period ended ${graceUntil}`), ...(graceUntil === undefined ? {} : { grace_until: graceUntil }) };
  }
  const problem = validateAgainstSchema(published.schema, published.value)[0];
  if (problem?.code === 'SCHEMA_UNSAFE') return broken(`SCHEMA_UNSAFE: the schema of "${entry.contract}" ${published.version} from ${entry.from} ${problem.message}`);
  if (problem !== undefined) {
    return broken(`the published value of "${entry.contract}" ${published.version} does not match its own schema`);
  }
  if (input.bindingProblem !== undefined) return broken(input.bindingProblem);
  if (input.bindingMissing === undefined) return broken(`the binding file ${entry.binding} is missing`);

  const reasons: string[] = [];
  const result: ImportEvaluation = { status: 'current', resolved_version: resolved ?? published.version, reasons, missing: input.bindingMissing, ...coverageFields(input.coverage) };
  // A binding read as a policy that already covers the newer value needs no change: the import
  // stays current and the next sync records the version.
  const coveredAhead = input.coverage?.coverage === 'policy' && input.bindingMissing.length === 0;
  if (inGrace && graceUntil !== undefined) {
    result.grace_until = graceUntil;
    reasons.push(`"${entry.contract}" ${published.version} is a breaking change outside ${entry.version}; move to it before ${graceUntil} (then the import is broken)`);
  }
  if (entry.resolved_version !== undefined && entry.resolved_version !== published.version) {
    result.available = published.version;
    if (!inGrace && !coveredAhead) reasons.push(`${entry.resolved_version} → ${published.version} available`);
  }
  if (input.bindingMissing.length > 0) {
    reasons.push(`${entry.binding} lacks ${input.bindingMissing.length} value(s): ${input.bindingMissing.join(', ')}`);
  }
  if (reasons.length > 0) result.status = 'stale';
  return result;
}

function coverageFields(coverage: BindingCoverage | undefined): Partial<ImportEvaluation> {
  if (coverage === undefined) return {};
  const fields: Partial<ImportEvaluation> = { coverage: coverage.coverage, values: coverage.values, unused: coverage.unused, notes: coverage.notes };
  if (coverage.grants !== undefined) fields.grants = coverage.grants;
  return fields;
}

const DAY_MS = 86_400_000;

/**
 * The end of the grace period for an import the provider's breaking change left behind:
 * `grace_until` when the import records one, else the first published version outside its range
 * (approved_at, or its changelog date) plus the realm's grace days. Undefined without grace.
 */
export function graceDeadline(entry: ImportEntry, published: PublishedExport, graceDays: number): string | undefined {
  if (entry.grace_until !== undefined) return entry.grace_until;
  if (graceDays <= 0) return undefined;
  const outside = [...published.changelog]
    .filter((c) => newestSatisfying([c.version], entry.version) === undefined && (entry.resolved_version === undefined || compareVersions(c.version, entry.resolved_version) > 0))
    .sort((a, b) => compareVersions(a.version, b.version))[0];
  if (outside === undefined) return undefined;
  const start = Date.parse(outside.approved_at ?? `${outside.date}T00:00:00Z`);
  if (Number.isNaN(start)) return undefined;
  return new Date(start + graceDays * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
