import { join } from 'node:path';
import {
  BlueError,
  inferSchema,
  readYamlFileIfExists,
  REPO_EXPORTS_FILE,
  type DeclaredExport,
  type DetectRule,
  type ExportKind,
  type JsonSchemaObject,
  type JsonValue,
  type PublishedExport,
} from '@blue/core';
import type { BlueContext } from './context.js';
import { detectExportValue } from './detect/index.js';
import { runLimited } from './run-limited.js';
import { untrustedCommand, type UntrustedCommand } from './trust/command-trust.js';

/** An export as the code repo has it right now: declared, with its value computed. */
export interface LocalExport {
  name: string;
  description?: string;
  schema: JsonSchemaObject;
  value: JsonValue;
  source: 'value' | 'detect';
  rule?: DetectRule;
  /** How bindings cover the value (from the detect rule), published with it. */
  kind?: ExportKind;
  /** For `s3-paths` relative to one bucket: the bucket. */
  bucket?: string;
  /** The version the user asked to publish next (`blue realm export --version`). */
  requested_version?: string;
  /**
   * The export's `command` detector is not trusted by this user, so it did not run: value and
   * schema are the published ones (or null), and nothing publishes it (see trust/).
   */
  untrusted?: UntrustedCommand;
}

/** The repo's `.blue/exports.yaml` declarations; empty when the file is missing. */
export async function readDeclaredExports(repo: string): Promise<DeclaredExport[]> {
  return (await readYamlFileIfExists('repo-exports', join(repo, REPO_EXPORTS_FILE), { label: REPO_EXPORTS_FILE, within: repo }))?.exports ?? [];
}

/**
 * Computes each declared export's current value (static, or detected from tracked files) and
 * its schema (declared, else the published one, else the detector's, else inferred).
 */
export async function computeLocalExports(ctx: BlueContext, repo: string, declared: readonly DeclaredExport[], published: readonly PublishedExport[] = []): Promise<LocalExport[]> {
  const locals: LocalExport[] = new Array<LocalExport>(declared.length);
  // A repo declares any number of exports: detectors (processes, file scans) run a few at a time.
  await runLimited(declared.map((decl, i) => async () => {
    const previous = published.find((p) => p.name === decl.name);
    const local: LocalExport = decl.detect
      ? await detected(ctx, repo, decl, decl.detect, previous)
      : { name: decl.name, value: decl.value ?? null, schema: decl.schema ?? previous?.schema ?? inferSchema(decl.value ?? null), source: 'value' };
    if (decl.description !== undefined) local.description = decl.description;
    else if (previous?.description !== undefined) local.description = previous.description;
    if (decl.version !== undefined) local.requested_version = decl.version;
    locals[i] = local;
  }), 4);
  return locals;
}

async function detected(ctx: BlueContext, repo: string, decl: DeclaredExport, rule: DetectRule, previous: PublishedExport | undefined): Promise<LocalExport> {
  try {
    const result = await detectExportValue(ctx, repo, rule);
    const local: LocalExport = { name: decl.name, value: result.value, schema: decl.schema ?? previous?.schema ?? result.schema, source: 'detect', rule };
    if (rule.kind === 's3-paths' || rule.kind === 'openapi' || rule.kind === 'env-vars') local.kind = rule.kind;
    if (rule.kind === 's3-paths' && rule.bucket !== undefined) local.bucket = rule.bucket;
    return local;
  } catch (err) {
    if (!(err instanceof BlueError && err.code === 'COMMAND_UNTRUSTED' && rule.kind === 'command')) throw err;
    const value = previous?.value ?? null;
    return { name: decl.name, value, schema: decl.schema ?? previous?.schema ?? inferSchema(value), source: 'detect', rule, untrusted: untrustedCommand(decl.name, rule.command) };
  }
}

/** The exports that may be published: those whose value was computed (not an untrusted command's). */
export function publishable(locals: readonly LocalExport[]): LocalExport[] {
  return locals.filter((l) => l.untrusted === undefined);
}
