import { BlueError } from './errors.js';

export type NameKind = 'realm' | 'domain' | 'export';

export const NAME_MAX_LENGTH = 64;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Returns why `name` is not a valid realm/domain/export name, or undefined when it is valid. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > NAME_MAX_LENGTH) return `it is ${name.length} characters long (at most ${NAME_MAX_LENGTH})`;
  if (name.includes('/') || name.includes('\\') || name.includes('..') || name.includes('\0')) {
    return 'it contains a path separator, ".." or NUL and could escape its folder';
  }
  if (!KEBAB.test(name)) return 'it is not kebab-case (lowercase a-z, 0-9, single hyphens between words)';
  return undefined;
}

/** Throws NAME_INVALID when `name` is not a valid name of the given kind. */
export function assertName(kind: NameKind, name: string): void {
  const problem = nameProblem(name);
  if (problem === undefined) return;
  throw new BlueError('NAME_INVALID', `Invalid ${kind} name ${JSON.stringify(name)}: ${problem}.`, {
    hint: `Use a kebab-case name of at most ${NAME_MAX_LENGTH} characters, for example "${suggestName(name) || 'letemcook'}".`,
  });
}

/** A kebab-case name derived from free text (a folder name, a title); may be empty. */
export function suggestName(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_MAX_LENGTH)
    .replace(/-+$/g, '');
}
