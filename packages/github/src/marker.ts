import { BlueError } from '@blue/core';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

/**
 * The hidden marker `<!-- blue:<key> -->` that identifies what Blue created, so the same call
 * finds it again instead of creating a second one. Keys are short ASCII (letters, digits and
 * `._/:@+-`), without spaces.
 */
export function blueMarker(key: string): string {
  if (!KEY.test(key) || key.includes('--') || key.length > 200) {
    throw new BlueError('VALUE_INVALID', `Marker key "${key}" must be letters, digits and ._/:@+- (no spaces, no "--"), at most 200 characters.`, {
      hint: 'Build the key from names, e.g. `sync/aperture/s3-paths@2.0.0`.',
    });
  }
  return `<!-- blue:${key} -->`;
}

/** The key of a marker (`<!-- blue:KEY -->` -> `KEY`), for searching. */
export function markerKey(marker: string): string {
  const m = /^<!-- blue:(\S+) -->$/.exec(marker);
  if (!m) throw new BlueError('VALUE_INVALID', `"${marker}" is not a Blue marker (<!-- blue:KEY -->).`, { hint: 'Build markers with blueMarker(key).' });
  return m[1]!;
}

export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === 'string' && body.includes(marker);
}

/** `body` with `marker` on its own last line (unchanged when the marker is already in it). */
export function withMarker(body: string, marker: string): string {
  if (body.includes(marker)) return body;
  return body.trim() === '' ? marker : `${body.replace(/\s+$/, '')}\n\n${marker}`;
}
