import type { Json, JsonObject } from './subset.js';

/** The id under which the subset is registered with ajv; `$ref`s are rewritten to point into it. */
export const SUBSET_ID = 'github-openapi.json';

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes an OpenAPI 3.0 document digestible by ajv (JSON Schema draft-07), without changing what
 * it accepts:
 * - `nullable: true` becomes a `null` entry in `type` (and in `enum`), or, where there is no
 *   `type` (a `$ref`, `oneOf`, `anyOf`), an `anyOf` of the schema and `{type: 'null'}`;
 * - local `$ref`s (`#/components/...`) become absolute (`github-openapi.json#/components/...`), so a
 *   schema taken out of the document still resolves.
 */
export function normaliseForAjv(node: Json): Json {
  if (Array.isArray(node)) return node.map(normaliseForAjv);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out[key] = `${SUBSET_ID}${value}`;
    else if (key === 'nullable') continue;
    else out[key] = normaliseForAjv(value);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string' || Array.isArray(out.type)) {
    const types = Array.isArray(out.type) ? out.type : [out.type];
    if (!types.includes('null')) out.type = [...types, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  const { description, ...rest } = out;
  const wrapped: JsonObject = { anyOf: [rest, { type: 'null' }] };
  if (description !== undefined) wrapped.description = description;
  return wrapped;
}
