import { stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  assertPathWithin,
  BlueError,
  envVarsValue,
  ENV_VARS_SCHEMA,
  findEnvVars,
  hasErrno,
  inferSchema,
  isRemoteRef,
  openapiInvalid,
  OPENAPI_SCHEMA,
  parseYaml,
  pathItemOperations,
  readYamlText,
  resolvePointer,
  scanOpenapi,
  type JsonValue,
} from '@blue/core';
import type { BlueContext } from '../context.js';
import { resolveInside } from '../paths.js';
import type { DetectedValue } from './detect-value.js';
import { forEachTrackedSource } from './tracked-files.js';

/**
 * The `file` detector: the YAML or JSON file at `path` (relative to the repo, never outside it,
 * at most the YAML size limit), or the part a JSON `pointer` names, read again on every status.
 */
export async function detectFileValue(repo: string, rule: { path: string; pointer?: string | undefined }): Promise<DetectedValue> {
  const whole = await readRepoDocument(repo, rule.path, 'file detector');
  if (rule.pointer === undefined) return { value: whole, schema: inferSchema(whole) };
  const value = resolvePointer(whole, rule.pointer);
  if (value === undefined) {
    throw new BlueError('VALUE_INVALID', `${rule.path} has nothing at the JSON pointer ${JSON.stringify(rule.pointer)}.`, {
      file: rule.path,
      hint: 'Point at an existing key (e.g. "/limits" or "/servers/0/url"), or drop `pointer` from the detect rule in .blue/exports.yaml.',
    });
  }
  return { value, schema: inferSchema(value) };
}

/**
 * The `openapi` detector: `{operations: ["GET /pets", ...]}` from an OpenAPI 3 document in the
 * repo. Path items given as `$ref` to another file of the repo are read; a `$ref` to the network
 * or outside the repository is OPENAPI_INVALID (nothing is ever fetched).
 */
export async function detectOpenapiValue(repo: string, rule: { path: string }): Promise<DetectedValue> {
  const doc = await readRepoDocument(repo, rule.path, 'openapi detector');
  const scan = scanOpenapi(doc, rule.path);
  for (const ref of scan.externalRefs) checkRef(repo, rule.path, ref);
  const operations = new Set(scan.operations);
  for (const { path, ref } of scan.pathRefs) {
    const [file = '', pointer = ''] = ref.split('#');
    const target = relative(repo, join(repo, dirname(rule.path), file));
    const item = resolvePointer(await readRepoDocument(repo, target, 'openapi detector'), decodeURIComponent(pointer));
    for (const op of pathItemOperations(path, item ?? null)) operations.add(op);
  }
  return { value: { operations: [...operations].sort() }, schema: OPENAPI_SCHEMA };
}

function checkRef(repo: string, document: string, ref: string): void {
  if (isRemoteRef(ref)) throw openapiInvalid(document, `$ref ${JSON.stringify(ref)} points to the network; Blue reads only files of the repository`);
  const file = ref.split('#')[0] ?? '';
  try {
    resolveInside(repo, join(dirname(document), file), 'openapi $ref');
  } catch (err) {
    if (err instanceof BlueError && err.code === 'PATH_INVALID') throw openapiInvalid(document, `$ref ${JSON.stringify(ref)} points outside the repository`);
    throw err;
  }
}

/** The `env-vars` detector: `{variables: [...]}` read by the tracked code files (within include/exclude). */
export async function detectEnvVarsValue(ctx: BlueContext, repo: string, rule: { include?: string[] | undefined; exclude?: string[] | undefined }): Promise<DetectedValue> {
  const perFile: string[][] = [];
  await forEachTrackedSource(repo, ctx.env, { include: rule.include, exclude: rule.exclude, mustContain: ['env', 'ENV'], visit: (source) => void perFile.push(findEnvVars(source)) });
  return { value: envVarsValue(perFile), schema: ENV_VARS_SCHEMA };
}

async function readRepoDocument(repo: string, path: string, what: string): Promise<JsonValue> {
  const full = resolveInside(repo, path, what);
  await assertPathWithin(repo, full, path);
  let text: string;
  try {
    // Only regular files: a FIFO or device named by a repo's rule would block or never end.
    if (!(await stat(full)).isFile()) throw new BlueError('VALUE_INVALID', `The ${what} reads ${path}, which is not a regular file.`, { file: path, hint: 'Point the detect rule in .blue/exports.yaml at a YAML or JSON file of the repository.' });
    text = await readYamlText(full, path);
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) throw new BlueError('FILE_NOT_FOUND', `The ${what} reads ${path}, which does not exist.`, { file: path, hint: 'Fix the path of the detect rule in .blue/exports.yaml (relative to the repository root).' });
    throw err;
  }
  return parseYaml(text, path).value as JsonValue;
}
