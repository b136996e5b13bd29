import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

/**
 * How deep an output schema spells out nested objects in tools/list. Below this depth an object is
 * listed as `{"type": "object"}`: every result still validates, and the whole tools/list stays
 * within its budget (see test/tools-list.test.ts). The server itself checks every result against
 * the full schema before sending it.
 */
export const LISTED_OUTPUT_DEPTH = 1;

/** Any JSON value, spelled out so no listed schema is empty and none uses a type array. */
const ANY_JSON: JsonSchema = { anyOf: ['object', 'array', 'string', 'number', 'boolean', 'null'].map((type) => ({ type })) };

/** A tool's input schema as tools/list shows it: strict (additionalProperties false), no $schema. */
export function listedInputSchema(schema: z.ZodObject): JsonSchema {
  const { $schema: _, properties, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  // An argument that takes any JSON value says so instead of being an empty schema.
  const typed = Object.entries((properties ?? {}) as Record<string, JsonSchema>).map(([key, value]) => [key, Object.keys(value).every((k) => k === 'description') ? { ...value, ...ANY_JSON } : value]);
  return { ...json, properties: Object.fromEntries(typed) };
}

/**
 * A tool's output schema as tools/list shows it: every top-level field with its type, nested
 * objects cut at LISTED_OUTPUT_DEPTH, no `required` (every result has every field the use case
 * declares as present; the server checks that against the full schema), no empty schemas.
 */
export function listedOutputSchema(schema: z.ZodObject, depth = LISTED_OUTPUT_DEPTH): JsonSchema {
  const { required: _, ...listed } = compact(z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12', unrepresentable: 'any' }), depth);
  return listed;
}

/** Descriptions stay in the input schemas (the agent fills those in); results explain themselves by their names and the tool's description. */
function compact(schema: JsonSchema, depth: number): JsonSchema {
  const { $schema: _s, additionalProperties: _a, description: _d, ...rest } = schema;
  if (Object.keys(rest).length === 0) return ANY_JSON;
  if (rest.type === 'object' && rest.properties) {
    if (depth <= 0) return { type: 'object' };
    const properties = Object.fromEntries(Object.entries(rest.properties as Record<string, JsonSchema>).map(([key, value]) => [key, compact(value, depth - 1)]));
    return { ...rest, properties };
  }
  if (rest.type === 'array' && rest.items) return { ...rest, items: compact(rest.items as JsonSchema, depth) };
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(rest[key])) return { ...rest, [key]: (rest[key] as JsonSchema[]).map((member) => compact(member, depth)) };
  }
  return rest;
}
