import { assertWritableYaml, CODEOWNERS_FILE, renderCodeowners, stringifyYaml, assertValidFile, withSchemaLine, type FileKind, type FileKinds } from '@blue/core';
import type { FileChange } from './store/realm-commit.js';
import type { RealmSnapshot } from './store/realm-files.js';

/** A realm file change holding `value`, validated against its schema first, starting with its schema line. */
export function realmYamlFile<K extends FileKind>(kind: K, path: string, value: FileKinds[K]): FileChange {
  assertValidFile(kind, value, path);
  const content = withSchemaLine(kind, stringifyYaml(value));
  // Names the export when an exports file would be too large to read back.
  assertWritableYaml(path, content, value);
  return { path, content };
}

/** CODEOWNERS regenerated for `domains`, with the realm's approvers owning governance files. */
export function codeownersChange(snapshot: RealmSnapshot, domains: ReadonlyArray<{ name: string; maintainers: string[] }>): FileChange {
  return { path: CODEOWNERS_FILE, content: renderCodeowners(snapshot.realm.name, snapshot.realm.governance.approvers, domains) };
}

/** A remote URL without `user:password@`: the realm is shared, credentials never go in it. */
export function stripCredentials(url: string | undefined): string | undefined {
  return url?.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1');
}
