import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The REST operations the stand-in serves, by GitHub's `operationId`. The committed subset of the
 * published description (`openapi-subset.json`) holds exactly these operations and the components
 * they reference; `github-openapi-subset.test.ts` regenerates it and fails on drift.
 */
export const STAND_IN_OPERATIONS = [
  'repos/get',
  'repos/get-content',
  'issues/list-for-repo',
  'issues/create',
  'issues/get',
  'issues/update',
  'issues/list-comments',
  'issues/create-comment',
  'issues/add-labels',
  'pulls/list',
  'pulls/create',
  'pulls/get',
  'pulls/update',
  'search/issues-and-pull-requests',
  // The GitHub Action's pull request comment, edited in place (issue 21).
  'issues/update-comment',
  // Commit statuses (issue 22: blue/merge-order).
  'repos/create-commit-status',
  'repos/get-combined-status-for-ref',
] as const;

export type StandInOperation = (typeof STAND_IN_OPERATIONS)[number];

/** The description variant the stand-in follows (the public API, with `$ref`s kept). */
export const DESCRIPTION_FILE = 'generated/api.github.com.json';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** A JSON document as parsed from disk. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Where `@octokit/openapi` is installed, and its exact version. */
export function publishedDescriptionInfo(): { version: string; file: string } {
  const require = createRequire(import.meta.url);
  // Resolve package.json only: the package main loads all ten variants (~400 MB).
  const pkgFile = require.resolve('@octokit/openapi/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  return { version: pkg.version, file: join(dirname(pkgFile), DESCRIPTION_FILE) };
}

/** Reads GitHub's full published REST description (about 12 MB) from `@octokit/openapi`. */
export function readPublishedDescription(): JsonObject {
  return JSON.parse(readFileSync(publishedDescriptionInfo().file, 'utf8')) as JsonObject;
}

/** The committed subset file (kept in src; read from there by the built code too). */
export const SUBSET_FILE = fileURLToPath(new URL('../../src/github/openapi-subset.json', import.meta.url));

/** Reads the committed subset. */
export function readOpenApiSubset(): JsonObject {
  return JSON.parse(readFileSync(SUBSET_FILE, 'utf8')) as JsonObject;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolvePointer(doc: JsonObject, ref: string): Json {
  let node: Json = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !(key in node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = node[key] as Json;
  }
  return node;
}

/** Copies `node`, dropping media-type `examples` (documentation only, and most of the file's size). */
function strip(node: Json): Json {
  if (Array.isArray(node)) return node.map(strip);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' && isObject(value) && Object.values(value).every((v) => isObject(v) && ('$ref' in v || 'value' in v))) continue;
    out[key] = strip(value);
  }
  return out;
}

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, into);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') into.add(value);
      else collectRefs(value, into);
    }
  }
}

/**
 * Extracts the operations in `operations` and every component they reference (transitively)
 * from the full description. Pure: the same input gives byte-identical output.
 */
export function buildOpenApiSubset(full: JsonObject, operations: readonly string[] = STAND_IN_OPERATIONS, packageVersion = ''): JsonObject {
  const wanted = new Set(operations);
  const paths: JsonObject = {};
  const fullPaths = full.paths;
  if (!isObject(fullPaths)) throw new Error('The description has no paths');
  for (const [path, item] of Object.entries(fullPaths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op) || typeof op.operationId !== 'string' || !wanted.has(op.operationId)) continue;
      const target = (paths[path] ??= {}) as JsonObject;
      if (item.parameters !== undefined) target.parameters = strip(item.parameters);
      target[method] = strip(op);
      wanted.delete(op.operationId);
    }
  }
  if (wanted.size > 0) throw new Error(`Operations missing from the description: ${[...wanted].join(', ')}`);

  const components: Record<string, JsonObject> = {};
  const seen = new Set<string>();
  const queue = new Set<string>();
  collectRefs(paths, queue);
  while (queue.size > 0) {
    const [ref] = queue;
    queue.delete(ref!);
    if (seen.has(ref!)) continue;
    seen.add(ref!);
    const parts = ref!.split('/');
    if (parts[0] !== '#' || parts[1] !== 'components' || parts.length !== 4) throw new Error(`Unexpected $ref ${ref}`);
    const value = strip(resolvePointer(full, ref!));
    (components[parts[2]!] ??= {})[parts[3]!] = value;
    const more = new Set<string>();
    collectRefs(value, more);
    for (const r of more) if (!seen.has(r)) queue.add(r);
  }
  const sortedComponents: JsonObject = {};
  for (const kind of Object.keys(components).sort()) {
    const entries = components[kind]!;
    sortedComponents[kind] = Object.fromEntries(Object.keys(entries).sort().map((k) => [k, entries[k]!]));
  }
  const info = isObject(full.info) ? full.info : {};
  return {
    openapi: full.openapi ?? '3.0.3',
    info: {
      title: `Subset of ${typeof info.title === 'string' ? info.title : 'GitHub REST API'} for the Blue stand-in`,
      version: info.version ?? '',
      description: `Generated from @octokit/openapi ${packageVersion} ${DESCRIPTION_FILE} by buildOpenApiSubset(); media-type examples removed. Do not edit: regenerate with BLUE_UPDATE_OPENAPI_SUBSET=1 npx vitest run packages/testkit/test/github-openapi-subset.test.ts`,
    },
    paths: Object.fromEntries(Object.keys(paths).sort().map((p) => [p, paths[p]!])),
    components: sortedComponents,
  };
}

/** Serialises a subset the way it is committed. */
export function renderOpenApiSubset(subset: JsonObject): string {
  return `${JSON.stringify(subset, null, 1)}\n`;
}
