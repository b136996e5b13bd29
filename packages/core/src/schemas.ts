import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FileKind, JsonSchemaObject } from './types.js';

const SCHEMA_DIR = new URL('../schemas/', import.meta.url);

/** Absolute path of the JSON Schema file for a kind of file (for editors and yaml-language-server). */
export function schemaPath(kind: FileKind): string {
  return fileURLToPath(new URL(`${kind}.schema.json`, SCHEMA_DIR));
}

/** The JSON Schema (draft 2020-12) for a kind of file, read from the package. */
export function loadSchema(kind: FileKind): JsonSchemaObject {
  return JSON.parse(readFileSync(schemaPath(kind), 'utf8')) as JsonSchemaObject;
}
