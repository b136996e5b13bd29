import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corePackageRoot } from './package-root.js';
import type { FileKind, JsonSchemaObject } from './types.js';

/** Absolute path of the JSON Schema file for a kind of file (for editors and yaml-language-server). */
export function schemaPath(kind: FileKind): string {
  return join(corePackageRoot(), 'schemas', `${kind}.schema.json`);
}

/** The JSON Schema (draft 2020-12) for a kind of file, read from the package. */
export function loadSchema(kind: FileKind): JsonSchemaObject {
  return JSON.parse(readFileSync(schemaPath(kind), 'utf8')) as JsonSchemaObject;
}
