import { leafStrings } from '../detect/binding.js';
import { S3_PATHS_SCHEMA } from '../detect/s3-paths.js';
import { jsonEqual } from '../diff/value-diff.js';
import type { ExportKind, JsonValue, PublishedExport } from '../types.js';
import { s3BindingCoverage, type BindingCoverage, type CoveredValue } from './s3-coverage.js';

/** An export's kind: recorded when published, else `s3-paths` when its schema is the detector's, else `generic`. */
export function exportKind(exp: Pick<PublishedExport, 'kind' | 'schema'>): ExportKind {
  if (exp.kind !== undefined) return exp.kind;
  return jsonEqual(exp.schema, S3_PATHS_SCHEMA) ? 's3-paths' : 'generic';
}

/**
 * How a binding file covers an export's value, by the export's kind: `s3-paths` follows IAM
 * (see s3BindingCoverage); every other kind is textual — a leaf string of the value is covered
 * when the file contains it.
 */
export function coverBinding(input: { kind: ExportKind; value: JsonValue; bucket?: string | undefined; path: string; text: string }): BindingCoverage {
  if (input.kind === 's3-paths') return s3BindingCoverage(input);
  const values = leafStrings(input.value).map((value): CoveredValue => (input.text.includes(value) ? { value, covered: true } : { value, covered: false, reason: `${input.path} does not mention it` }));
  return { coverage: 'textual', values, missing: values.filter((v) => !v.covered).map((v) => v.value), unused: [], notes: [] };
}
