import { join } from 'node:path';
import type { GitDirs } from './paths.js';
import { readIfExists } from './paths.js';
import type { GitEnv } from './run.js';

// A repository's own config file, read instead of starting `git config` when the file alone
// settles the answer. git reads the system, global and repository files in that order and the
// last value wins, so a key set once in the repository's file is git's answer, unless something
// read after it could override it (the environment's -c settings, a worktree's config.worktree,
// an include). Anything this reader does not follow exactly (quoting, escapes, continuation
// lines, inline comments, the old `[section.sub]` form) makes it say nothing: the caller asks git.

/** Variables that add config on top of the files (`git -c`, GIT_CONFIG_COUNT/KEY_n/VALUE_n). */
const OVERRIDING_ENV = ['GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_CONFIG'] as const;

/** What the repository's config file says of a key: its one value, `absent` when the file does not set it. */
export type LocalConfig = ReadonlyMap<string, readonly string[]>;

/**
 * The repository's config file (`<commonDir>/config`) as keys (`section.key` or
 * `section.subsection.key`, section and key lowercased as git compares them) → values in file
 * order; undefined when the file must be read by git (see above) or when the environment adds config.
 */
export async function readLocalConfig(dirs: GitDirs, env: GitEnv | undefined): Promise<LocalConfig | undefined> {
  const vars = env ?? process.env;
  if (OVERRIDING_ENV.some((name) => (vars[name] ?? '') !== '')) return undefined;
  const text = await readIfExists(join(dirs.commonDir, 'config')).catch(() => undefined);
  if (text === undefined) return undefined;
  const config = parseSimpleConfig(text);
  // A worktree's own config.worktree is read after the repository's file.
  if (config === undefined || config.get('extensions.worktreeconfig') !== undefined) return undefined;
  return config;
}

/** The value git would give for `key` when the repository's file sets it exactly once; undefined when git must be asked. */
export function localValue(config: LocalConfig | undefined, key: string): string | undefined {
  const values = config?.get(normalKey(key));
  return values?.length === 1 ? values[0] : undefined;
}

/** `section[.subsection].key` as git compares it: section and key case-insensitive, subsection as written. */
function normalKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first === last) return key.toLowerCase();
  return `${key.slice(0, first).toLowerCase()}.${key.slice(first + 1, last)}.${key.slice(last + 1).toLowerCase()}`;
}

const SECTION = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"([^"\\]*)")?\s*\]\s*$/;
const ENTRY = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*?))?\s*$/;

/** The entries of a config file written in the plain form git itself writes; undefined for anything else. */
export function parseSimpleConfig(text: string): Map<string, string[]> | undefined {
  const config = new Map<string, string[]>();
  let section: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const match = SECTION.exec(line);
      const name = match?.[1]?.toLowerCase();
      // The old `[section.sub]` form, includes and anything unusual: ask git.
      if (match === null || name === undefined || name.includes('.') || name === 'include' || name === 'includeif') return undefined;
      section = match[2] === undefined ? name : `${name}.${match[2]}`;
      continue;
    }
    const entry = ENTRY.exec(line);
    const value = entry?.[2];
    // No value (an implicit true), quotes, escapes, comments after the value, tabs (git turns each into a space): ask git.
    if (entry === null || section === undefined || value === undefined || /["\\#;\t]/.test(value)) return undefined;
    const key = `${section}.${(entry[1] ?? '').toLowerCase()}`;
    config.set(key, [...(config.get(key) ?? []), value]);
  }
  return config;
}
