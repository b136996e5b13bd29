import {
  findS3Paths,
  inferSchema,
  s3PathsValue,
  S3_PATHS_SCHEMA,
  type DetectRule,
  type JsonSchemaObject,
  type JsonValue,
  type S3Finding,
} from '@blue/core';
import type { BlueContext } from '../context.js';
import { invalid, runDetectCommand } from './run-command.js';
import { readTrackedSources } from './tracked-files.js';

export interface DetectedValue {
  value: JsonValue;
  schema: JsonSchemaObject;
  /** For `s3-paths`: every literal found, with file and line. */
  findings?: S3Finding[];
}

/**
 * Computes an export's value from the repo's tracked files by its detect rule:
 * - `s3-paths`: the s3:// literals of tracked files (within include/exclude) as
 *   `{read, write}` key patterns (see s3PathsValue: relative to `bucket` when the rule names one,
 *   else `bucket/key`), with S3_PATHS_SCHEMA;
 * - `command`: runs the argv in `repo` with ctx.env (no shell), timeout `timeout_ms` (default
 *   10 s); its stdout parsed as JSON is the value, its schema inferred from the value.
 */
export async function detectExportValue(ctx: BlueContext, repo: string, rule: DetectRule): Promise<DetectedValue> {
  if (rule.kind === 's3-paths') {
    const findings = await findS3Findings(ctx, repo, { include: rule.include, exclude: rule.exclude });
    return { value: { ...s3PathsValue(findings, { bucket: rule.bucket }) }, schema: S3_PATHS_SCHEMA, findings };
  }
  const stdout = await runDetectCommand(rule.command, { cwd: repo, env: ctx.env, timeoutMs: rule.timeout_ms });
  const value = parseJson(stdout, rule.command);
  return { value, schema: inferSchema(value) };
}

/** Every s3:// finding in the tracked files of `repo`. */
export async function findS3Findings(ctx: BlueContext, repo: string, options: { include?: string[] | undefined; exclude?: string[] | undefined } = {}): Promise<S3Finding[]> {
  const sources = await readTrackedSources(repo, ctx.env, { ...options, mustContain: 's3://' });
  return sources.flatMap(findS3Paths);
}

function parseJson(stdout: string, command: readonly string[]): JsonValue {
  const shown = command.join(' ');
  if (stdout.trim() === '') throw invalid(shown, 'printed nothing on stdout (an export value must be JSON)', '');
  try {
    return JSON.parse(stdout) as JsonValue;
  } catch (err) {
    throw invalid(shown, `did not print JSON (${(err as Error).message}); it printed: ${stdout.trim().slice(0, 200)}`, '', err);
  }
}
