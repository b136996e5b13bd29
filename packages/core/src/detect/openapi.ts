import { BlueError } from '../errors.js';
import type { JsonSchemaObject, JsonValue } from '../types.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** JSON Schema of an openapi export value. */
export const OPENAPI_SCHEMA: JsonSchemaObject = {
  type: 'object',
  description: 'The operations (METHOD /path) of an OpenAPI 3 document.',
  additionalProperties: false,
  required: ['operations'],
  properties: { operations: { type: 'array', description: 'e.g. "GET /pets/{id}", sorted.', items: { type: 'string' } } },
};

export interface OpenapiScan {
  /** `GET /pets/{id}`, from path items written in the document. */
  operations: string[];
  /** Path items given as `$ref` to another file: path -> the reference (read by the caller). */
  pathRefs: Array<{ path: string; ref: string }>;
  /** Every `$ref` pointing outside the document (files and URLs), to be checked by the caller. */
  externalRefs: string[];
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** OPENAPI_INVALID naming `file`. */
export function openapiInvalid(file: string, problem: string): BlueError {
  return new BlueError('OPENAPI_INVALID', `${file}: ${problem}.`, { file, hint: 'The openapi detector reads an OpenAPI 3 document (openapi: 3.x, paths: {...}) from the repository; $ref may point only into the repository.' });
}

/** The operations of an OpenAPI 3 document (see OpenapiScan); OPENAPI_INVALID when it is not one. */
export function scanOpenapi(doc: JsonValue, file: string): OpenapiScan {
  if (!isObject(doc)) throw openapiInvalid(file, 'is not a YAML or JSON object');
  if (typeof doc.openapi !== 'string' || !/^3\.\d+/.test(doc.openapi)) throw openapiInvalid(file, `has no "openapi: 3.x" field (found ${JSON.stringify(doc.openapi ?? null)})`);
  const paths = doc.paths ?? {};
  if (!isObject(paths)) throw openapiInvalid(file, '"paths" is not an object');
  const scan: OpenapiScan = { operations: [], pathRefs: [], externalRefs: [] };
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) throw openapiInvalid(file, `the path ${JSON.stringify(path)} does not start with "/"`);
    if (!isObject(item)) throw openapiInvalid(file, `the path item of ${path} is not an object`);
    if (typeof item.$ref === 'string' && !item.$ref.startsWith('#')) scan.pathRefs.push({ path, ref: item.$ref });
    scan.operations.push(...pathItemOperations(path, item));
  }
  collectRefs(doc, scan.externalRefs, 0);
  scan.operations = [...new Set(scan.operations)].sort();
  return scan;
}

/** `METHOD path` for each operation of one path item. */
export function pathItemOperations(path: string, item: JsonValue): string[] {
  if (!isObject(item)) return [];
  return METHODS.filter((m) => isObject(item[m])).map((m) => `${m.toUpperCase()} ${path}`);
}

function collectRefs(value: JsonValue, out: string[], depth: number): void {
  if (depth > 64) return;
  if (Array.isArray(value)) for (const item of value) collectRefs(item, out, depth + 1);
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && !child.startsWith('#')) out.push(child);
      else collectRefs(child, out, depth + 1);
    }
  }
}

/** Whether a `$ref` names a network location (a URL or a protocol-relative reference). */
export function isRemoteRef(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//');
}
