import { join, relative, sep } from 'node:path';
import {
  assertName,
  assertVersion,
  BlueError,
  compareVersions,
  inferSchema,
  jsonDepth,
  MAX_YAML_DEPTH,
  REPO_EXPORTS_FILE,
  validateAgainstSchema,
  writeYamlFile,
  type DeclaredExport,
  type JsonSchemaObject,
  type JsonValue,
} from '@blue/core';
import type { BlueContext } from './context.js';
import { suggestS3Export } from './detect/index.js';
import { detectFileValue } from './detect/file-detector.js';
import { computeLocalExports, readDeclaredExports } from './local-exports.js';
import { resolveInside } from './paths.js';
import { withRepoFileLock } from './store/locked-file.js';
import { commandUntrustedError } from './trust/command-trust.js';
import { recordDeclaredTrust } from './trust/trust-use-cases.js';
import { readMembership } from './store/membership.js';
import { readPublishedExports } from './store/realm-files.js';

export interface ExportContractInput {
  name: string;
  version?: string | undefined;
  /** A JSON value (as text). */
  value?: string | undefined;
  /**
   * A YAML or JSON file of the repo holding the value, relative to cwd: recorded as a `file`
   * detector, so the value is read again on every status (edits show as drift).
   */
  file?: string | undefined;
  /** With `file`: a JSON pointer (RFC 6901) to the part of the file that is the value, e.g. `/limits`. */
  pointer?: string | undefined;
  /** Detect the value from tracked files (s3-paths), or by the repo's declared detect rule. */
  detect?: boolean | undefined;
  /**
   * A person declared this through the CLI: a `command` detect rule is trusted as it is now
   * (trust/). Never set by the MCP face: there an untrusted command is COMMAND_UNTRUSTED.
   */
  trustCommand?: boolean | undefined;
}

export interface ExportContractResult {
  realm: { name: string; path: string };
  domain: string;
  export: { name: string; source: 'value' | 'detect'; value: JsonValue; requested_version?: string };
  /** True for a new export; false when an existing declaration was updated. */
  created: boolean;
  published_version?: string;
  file: string;
  next_steps: string[];
}

/**
 * Declares or updates an export in the repo's .blue/exports.yaml: a static value (from --value
 * or --file) or detect rules. The value must match the export's schema (declared, published, or
 * inferred for a new export). Publishing is `blue realm sync`'s job.
 */
export async function exportContract(ctx: BlueContext, input: ExportContractInput): Promise<ExportContractResult> {
  assertName('export', input.name);
  const sources = [input.value !== undefined, input.file !== undefined, input.detect === true].filter(Boolean).length;
  if (sources !== 1) {
    throw new BlueError('VALUE_INVALID', 'Give exactly one of --value, --file or --detect.', { hint: 'e.g. blue realm export --name api-url --value \'"https://api.example.com"\'' });
  }
  const member = await readMembership(ctx);
  const published = (await readPublishedExports(member.realmPath, member.domain)).find((p) => p.name === input.name);
  if (input.version !== undefined) {
    assertVersion(input.version);
    if (published && compareVersions(input.version, published.version) <= 0) {
      throw new BlueError('VERSION_INVALID', `--version ${input.version} is not newer than the published ${published.version}.`, { hint: 'Leave --version out and let sync compute the bump, or give a newer version.' });
    }
  }
  if (input.pointer !== undefined && input.file === undefined) {
    throw new BlueError('VALUE_INVALID', '--pointer goes with --file: it names the part of the file that is the value.', { hint: 'e.g. blue realm export --name limits --file config/service.yaml --pointer /limits' });
  }
  // Read, decide and write .blue/exports.yaml under its lock: parallel declarations all land.
  const { next, local, previous } = await withRepoFileLock(ctx, member.repo, REPO_EXPORTS_FILE, `blue realm export ${input.name} (${member.domain})`, async () => {
    const declared = await readDeclaredExports(member.repo);
    const previous = declared.find((d) => d.name === input.name);
    const next: DeclaredExport = { name: input.name };
    if (previous?.description !== undefined) next.description = previous.description;
    if (input.version !== undefined) next.version = input.version;
    if (input.file !== undefined) {
      const rule = fileRule(member.repo, ctx.cwd, input.file, input.pointer);
      const value = (await detectFileValue(member.repo, rule)).value;
      next.detect = rule;
      next.schema = checkedSchema(input.name, previous?.schema ?? published?.schema ?? inferSchema(value), value, previous?.schema !== undefined);
    } else if (input.detect) {
      const suggestion = previous?.detect === undefined ? await suggestS3Export(ctx, member.repo) : undefined;
      const rule = previous?.detect ?? suggestion?.rule;
      if (rule === undefined) throw new BlueError('VALUE_INVALID', 'Nothing to detect: no s3:// paths in the tracked files of this repo.', { hint: 'Declare the value with --value or --file instead.' });
      next.detect = rule;
      if (rule.kind === 'command' && input.trustCommand === true) await recordDeclaredTrust(ctx, member.repo, input.name, rule.command);
    } else {
      const value = parseJson(input.value ?? 'null');
      next.value = value;
      next.schema = checkedSchema(input.name, previous?.schema ?? published?.schema ?? inferSchema(value), value, previous?.schema !== undefined);
    }
    const [local] = await computeLocalExports(ctx, member.repo, [next], published ? [published] : []);
    if (local?.untrusted !== undefined) throw commandUntrustedError(member.repo, local.untrusted.command, input.name);
    const exports = previous ? declared.map((d) => (d.name === input.name ? next : d)) : [...declared, next];
    await writeYamlFile('repo-exports', join(member.repo, REPO_EXPORTS_FILE), { exports }, { header: ['Blue: what this repository exports to its realm.'], label: REPO_EXPORTS_FILE });
    return { next, local, previous };
  });
  const result: ExportContractResult = {
    realm: { name: member.realm.name, path: member.realmPath },
    domain: member.domain,
    export: { name: input.name, source: next.detect ? 'detect' : 'value', value: local?.value ?? null, ...(input.version ? { requested_version: input.version } : {}) },
    created: previous === undefined,
    file: REPO_EXPORTS_FILE,
    next_steps: ['blue status  # see the change against the realm', 'git add .blue/exports.yaml && git commit -m "Declare export"  # sync publishes only committed work', 'blue realm sync  # publish it'],
  };
  if (published) result.published_version = published.version;
  return result;
}

function parseJson(text: string): JsonValue {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new BlueError('VALUE_INVALID', `--value is not valid JSON: ${(err as Error).message}`, { hint: 'Quote it for your shell, e.g. --value \'{"read": ["jobs/*"]}\'.' });
  }
  if (jsonDepth(value) > MAX_YAML_DEPTH) {
    throw new BlueError('VALUE_INVALID', `--value nests deeper than ${MAX_YAML_DEPTH} levels.`, { hint: 'Flatten the value; an export value is a list or map of names, a few levels deep.' });
  }
  return value;
}

/** The schema, once the value matches it (SCHEMA_INVALID naming where the schema comes from). */
function checkedSchema(name: string, schema: JsonSchemaObject, value: JsonValue, declared: boolean): JsonSchemaObject {
  const problem = validateAgainstSchema(schema, value)[0];
  if (problem !== undefined) {
    throw new BlueError('SCHEMA_INVALID', `export "${name}": value${problem.path ? `.${problem.path}` : ''} ${problem.message}`, {
      hint: `The value must match the export's schema (${declared ? REPO_EXPORTS_FILE : 'the published one'}); change the value, or the schema in ${REPO_EXPORTS_FILE}.`,
    });
  }
  return schema;
}

/** The `file` detect rule for a value file given relative to cwd: its path relative to the repo, which it may not leave. */
function fileRule(repo: string, cwd: string, file: string, pointer: string | undefined): { kind: 'file'; path: string; pointer?: string } {
  const path = relative(repo, resolveInside(cwd, file, 'value file')).split(sep).join('/');
  if (pointer !== undefined && pointer !== '' && !pointer.startsWith('/')) {
    throw new BlueError('VALUE_INVALID', `--pointer ${JSON.stringify(pointer)} is not a JSON pointer: it must start with "/".`, { hint: 'e.g. --pointer /limits or --pointer /servers/0/url' });
  }
  return pointer === undefined ? { kind: 'file', path } : { kind: 'file', path, pointer };
}
