import semver from 'semver';
import { BlueError } from './errors.js';

/** Throws VERSION_INVALID unless `version` is a plain semver version (1.2.3). */
export function assertVersion(version: string, what = 'version'): string {
  const parsed = semver.valid(version);
  if (parsed === null) {
    throw new BlueError('VERSION_INVALID', `Invalid ${what} ${JSON.stringify(version)}: not a semver version.`, {
      hint: 'Use MAJOR.MINOR.PATCH, for example "1.4.0".',
    });
  }
  return parsed;
}

/** True for a plain semver version (1.2.3). */
export function isVersion(text: string): boolean {
  return semver.valid(text) !== null;
}

/** Throws VERSION_INVALID unless `range` is a semver range (">=1.0.0", "^1.2"). */
export function assertRange(range: string): string {
  const parsed = semver.validRange(range);
  if (parsed === null) {
    throw new BlueError('VERSION_INVALID', `Invalid version range ${JSON.stringify(range)}.`, {
      hint: 'Use a semver range such as ">=1.0.0", "^1.3.0" or "1.x".',
    });
  }
  return range;
}

/** The newest of `versions` that satisfies `range`, or undefined. */
export function newestSatisfying(versions: readonly string[], range: string): string | undefined {
  return semver.maxSatisfying([...versions], range) ?? undefined;
}

export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}

export type Bump = 'major' | 'minor' | 'patch';

export function bumpVersion(version: string, bump: Bump): string {
  const next = semver.inc(version, bump);
  if (next === null) throw new BlueError('VERSION_INVALID', `Cannot bump ${JSON.stringify(version)}.`);
  return next;
}
