import { requireFromCore } from './package-root.js';
import type { FileKind } from './types.js';

/** A `# yaml-language-server: $schema=…` line, whatever its URL. */
const SCHEMA_LINE = /^#\s*yaml-language-server:\s*\$schema=/;

let base: string | undefined;

/**
 * Where editors fetch the JSON Schemas: this package's `schemas/` folder on jsDelivr, at this
 * major version (0.x: this minor), so files written by teammates on patch releases of one line
 * carry the same URL. The files are committed to shared repos, so the URL must not depend on
 * where Blue is installed on one machine (README, "Editor support").
 */
function schemaBase(): string {
  if (base === undefined) {
    const pkg = requireFromCore('./package.json') as { name: string; version: string };
    const [major = '0', minor = '0'] = pkg.version.split('.');
    base = `https://cdn.jsdelivr.net/npm/${pkg.name}@${major === '0' ? `0.${minor}` : major}/schemas/`;
  }
  return base;
}

/** The public URL of the JSON Schema for a kind of file. */
export function schemaUrl(kind: FileKind): string {
  return `${schemaBase()}${kind}.schema.json`;
}

/** The first line of every YAML file of `kind` that Blue writes (read by yaml-language-server). */
export function schemaLine(kind: FileKind): string {
  return `# yaml-language-server: $schema=${schemaUrl(kind)}`;
}

/**
 * `text` starting with the schema line of `kind`. A schema line already in the leading comments
 * (kept by an update, or with another URL) is replaced, so there is only ever one.
 */
export function withSchemaLine(kind: FileKind, text: string): string {
  const lines = text.split('\n');
  let end = 0;
  while (end < lines.length && (lines[end]?.startsWith('#') === true || lines[end]?.trim() === '')) end++;
  const leading = lines.slice(0, end).filter((line) => !SCHEMA_LINE.test(line));
  return [schemaLine(kind), ...leading, ...lines.slice(end)].join('\n');
}
