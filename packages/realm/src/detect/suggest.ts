import { s3PathsValue, S3_EXPORT_NAME, S3_PATHS_SCHEMA, type DetectRule, type JsonSchemaObject, type S3PathsValue } from '@blue/core';
import type { BlueContext } from '../context.js';
import { findS3Findings } from './detect-value.js';

export interface S3ExportSuggestion {
  name: string;
  rule: DetectRule;
  value: S3PathsValue;
  schema: JsonSchemaObject;
}

/**
 * The export `blue realm join` proposes for a repo that uses S3: undefined when no tracked file
 * holds an s3:// literal; otherwise `required-s3-permissions` with rule `{kind: 's3-paths',
 * bucket}` when every literal names the same bucket (keys relative to it, as in the RFC), or
 * `{kind: 's3-paths'}` when they name several (keys then read `bucket/key`, so paths of
 * different buckets never mix). A bucket written as an unresolved placeholder counts as `*`.
 * The value is exactly what detectExportValue computes for the rule.
 */
export async function suggestS3Export(ctx: BlueContext, repo: string): Promise<S3ExportSuggestion | undefined> {
  const findings = await findS3Findings(ctx, repo);
  if (findings.length === 0) return undefined;
  const buckets = [...new Set(findings.map((f) => f.bucket))];
  const bucket = buckets.length === 1 ? buckets[0] : undefined;
  const rule: DetectRule = bucket === undefined ? { kind: 's3-paths' } : { kind: 's3-paths', bucket };
  // The same computation as detectExportValue(rule), without reading the files again.
  return { name: S3_EXPORT_NAME, rule, value: s3PathsValue(findings, { bucket }), schema: S3_PATHS_SCHEMA };
}
