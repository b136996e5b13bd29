import {
  globMatcher,
  inferSchema,
  jsonDepth,
  MAX_YAML_DEPTH,
  s3PathsValue,
  S3_PATHS_SCHEMA,
  type DetectRule,
  type JsonSchemaObject,
  type JsonValue,
  type S3Finding,
} from '@blue/core';
import type { BlueContext } from '../context.js';
import { detectEnvVarsValue, detectFileValue, detectOpenapiValue } from './file-detector.js';
import { commandUntrustedError } from '../trust/command-trust.js';
import { isCommandTrusted } from '../trust/trust-store.js';
import { invalid, runDetectCommand } from './run-command.js';
import { scanS3Findings } from './s3-scan.js';

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
 * - `file`, `openapi`, `env-vars`: see file-detector.ts;
 * - `command`: runs the argv in `repo` with ctx.env (no shell), timeout `timeout_ms` (default
 *   10 s); its stdout parsed as JSON is the value, its schema inferred from the value. Only when
 *   this user trusts exactly that argv in that repo ($BLUE_HOME/trust.yaml, `blue trust`): else
 *   COMMAND_UNTRUSTED and nothing runs. Output nested deeper than MAX_YAML_DEPTH is VALUE_INVALID.
 */
export async function detectExportValue(ctx: BlueContext, repo: string, rule: DetectRule): Promise<DetectedValue> {
  if (rule.kind === 'file') return detectFileValue(repo, rule);
  if (rule.kind === 'openapi') return detectOpenapiValue(repo, rule);
  if (rule.kind === 'env-vars') return detectEnvVarsValue(ctx, repo, rule);
  if (rule.kind === 's3-paths') {
    const findings = await findS3Findings(ctx, repo, { include: rule.include, exclude: rule.exclude });
    return { value: { ...s3PathsValue(findings, { bucket: rule.bucket }) }, schema: S3_PATHS_SCHEMA, findings };
  }
  if (!(await isCommandTrusted(ctx.home, repo, rule.command))) throw commandUntrustedError(repo, rule.command);
  const stdout = await runDetectCommand(rule.command, { cwd: repo, env: ctx.env, timeoutMs: rule.timeout_ms });
  const value = parseJson(stdout, rule.command);
  return { value, schema: inferSchema(value) };
}

/**
 * Every s3:// finding in the tracked files of `repo` within include/exclude, in git's path order.
 * The scan covers every tracked file and is cached (see scanS3Findings); the globs filter its
 * findings by file, which is what filtering the files before reading them gave.
 */
export async function findS3Findings(ctx: BlueContext, repo: string, options: { include?: string[] | undefined; exclude?: string[] | undefined } = {}): Promise<S3Finding[]> {
  const findings = await scanS3Findings(repo, ctx.env);
  const include = options.include && options.include.length > 0 ? globMatcher(options.include) : undefined;
  const exclude = options.exclude && options.exclude.length > 0 ? globMatcher(options.exclude) : undefined;
  if (include === undefined && exclude === undefined) return findings;
  return findings.filter((f) => (include?.(f.file) ?? true) && !(exclude?.(f.file) ?? false));
}

function parseJson(stdout: string, command: readonly string[]): JsonValue {
  const shown = command.join(' ');
  if (stdout.trim() === '') throw invalid(shown, 'printed nothing on stdout (an export value must be JSON)', '');
  let value: JsonValue;
  try {
    value = JSON.parse(stdout) as JsonValue;
  } catch (err) {
    throw invalid(shown, `did not print JSON (${(err as Error).message}); it printed: ${stdout.trim().slice(0, 200)}`, '', err);
  }
  // As for YAML: what is nested deeper than any real value would overflow the recursive diff and schema code.
  if (jsonDepth(value) > MAX_YAML_DEPTH) throw invalid(shown, `printed JSON nested deeper than ${MAX_YAML_DEPTH} levels`, '');
  return value;
}
