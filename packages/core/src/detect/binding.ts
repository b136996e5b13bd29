import type { JsonValue } from '../types.js';

/**
 * Every leaf string of a JSON value, depth first in document order (object values in key
 * order, array items in order), de-duplicated. Keys, numbers, booleans, null and empty strings
 * are not leaf strings: they say nothing about whether a file uses the value.
 */
export function leafStrings(value: JsonValue): string[] {
  const seen = new Set<string>();
  const visit = (v: JsonValue): void => {
    if (typeof v === 'string') {
      if (v !== '') seen.add(v);
    } else if (Array.isArray(v)) {
      for (const item of v) visit(item);
    } else if (typeof v === 'object' && v !== null) {
      for (const child of Object.values(v)) visit(child);
    }
  };
  visit(value);
  return [...seen];
}

/**
 * Which leaf strings of `value` appear in `text` (a binding file) as plain substrings, and which
 * are missing, each in leafStrings order. `jobs/*\/masks/*` is present in a file holding
 * `arn:aws:s3:::cultivarium-fungal/jobs/*\/masks/*`.
 */
export function bindingCoverage(value: JsonValue, text: string): { present: string[]; missing: string[] } {
  const present: string[] = [];
  const missing: string[] = [];
  for (const leaf of leafStrings(value)) (text.includes(leaf) ? present : missing).push(leaf);
  return { present, missing };
}
