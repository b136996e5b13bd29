// IAM wildcard patterns: matching, containment and overlap, checked against a brute-force oracle
// that enumerates every key over a small alphabet.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wildcardContains, wildcardMatch, wildcardOverlap } from '@blue/core';
import { verifies } from '@blue/testkit';

/** `a`, `b`, `/` appear in patterns; `c` never does, so it stands for every other character. */
const KEY_ALPHABET = ['a', 'b', '/', 'c'];
const pattern = fc.array(fc.constantFrom('a', 'b', '/', '*', '?'), { maxLength: 5 }).map((chars) => chars.join(''));

/** The oracle's own matcher: a regular expression, independent of the automata under test. */
function oracleMatch(p: string, key: string): boolean {
  const source = [...p].map((ch) => (ch === '*' ? '[^]*' : ch === '?' ? '[^]' : ch.replace(/[/]/g, '\\/'))).join('');
  return new RegExp(`^${source}$`).test(key);
}

function keysUpTo(length: number): string[] {
  const keys = [''];
  let layer = [''];
  for (let n = 1; n <= length; n++) {
    layer = layer.flatMap((k) => KEY_ALPHABET.map((ch) => k + ch));
    keys.push(...layer);
  }
  return keys;
}
const KEYS = keysUpTo(7);

/** The witness as a real key: the automata's "other character" becomes `c`. */
const real = (witness: string): string => witness.split('\u0000').join('c');

describe('wildcard patterns', () => {
  verifies('wildcard-containment-property', 'matching agrees with the regular-expression oracle', () => {
    fc.assert(fc.property(pattern, fc.constantFrom(...KEYS.slice(0, 400)), (p, key) => wildcardMatch(p, key) === oracleMatch(p, key)), { numRuns: 500 });
  });

  verifies('wildcard-containment-property', 'containment: yes means no key up to length 7 escapes; no comes with a witness key', () => {
    fc.assert(
      fc.property(pattern, pattern, (outer, inner) => {
        const result = wildcardContains(outer, inner);
        if (result.contains) {
          const escaped = KEYS.find((k) => oracleMatch(inner, k) && !oracleMatch(outer, k));
          expect(escaped, `${inner} ⊆ ${outer} claimed, but ${String(escaped)} escapes`).toBeUndefined();
        } else {
          expect(result.witness).toBeDefined();
          const key = real(result.witness ?? '');
          expect(oracleMatch(inner, key) && !oracleMatch(outer, key), `witness ${key} for ${inner} ⊄ ${outer}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  verifies('wildcard-containment-property', 'overlap: yes comes with a key both match; no means no short key matches both', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const result = wildcardOverlap(a, b);
        if (result.overlap) {
          const key = real(result.witness ?? '');
          expect(oracleMatch(a, key) && oracleMatch(b, key)).toBe(true);
        } else {
          expect(KEYS.find((k) => oracleMatch(a, k) && oracleMatch(b, k))).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('follows IAM: * spans folders, ? is one character, and the hard cases of * next to ?', () => {
    expect(wildcardContains('training-metrics/*', 'training-metrics/experiments/*').contains).toBe(true);
    expect(wildcardContains('reports/*', 'reports/*/report.html').contains).toBe(true);
    expect(wildcardContains('harbor-data/manifests/*', 'harbor-data/manifests/*.json').contains).toBe(true);
    expect(wildcardContains('?*', '*?').contains).toBe(true);
    expect(wildcardContains('*a*', 'a').contains).toBe(true);
    expect(wildcardContains('jobs/*/masks/*', 'jobs/*').contains).toBe(false);
    expect(wildcardContains('a?', 'a*')).toEqual({ contains: false, witness: 'a' });
    expect(wildcardMatch('jobs/?/x', 'jobs/12/x')).toBe(false);
  });
});
