import type { JsonSchemaObject, JsonValue } from '../types.js';

function typeOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * A JSON Schema that describes `value`'s shape: object keys become properties (all required),
 * array items share one schema when they share a type. Used for a new export declared with a
 * plain value; the owner may edit it in .blue/exports.yaml.
 */
export function inferSchema(value: JsonValue): JsonSchemaObject {
  const type = typeOf(value);
  if (type === 'array') {
    const items = value as JsonValue[];
    const types = new Set(items.map(typeOf));
    const first = items[0];
    if (types.size === 1 && first !== undefined) return { type: 'array', items: types.has('object') ? mergeObjects(items) : inferSchema(first) };
    return { type: 'array' };
  }
  if (type === 'object') {
    const entries = Object.entries(value as Record<string, JsonValue>);
    return { type: 'object', properties: Object.fromEntries(entries.map(([k, v]) => [k, inferSchema(v)])), required: entries.map(([k]) => k) };
  }
  return { type };
}

function mergeObjects(items: JsonValue[]): JsonSchemaObject {
  // A Map, not an object: a key named "__proto__" or "constructor" is a property like any other.
  const properties = new Map<string, JsonSchemaObject>();
  for (const item of items) {
    for (const [k, v] of Object.entries(item as Record<string, JsonValue>)) if (!properties.has(k)) properties.set(k, inferSchema(v));
  }
  return { type: 'object', properties: Object.fromEntries(properties) };
}
