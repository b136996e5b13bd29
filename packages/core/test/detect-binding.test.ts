import { describe, expect, it } from 'vitest';
import { bindingCoverage, globMatcher, leafStrings } from '@blue/core';

describe('leafStrings', () => {
  it('lists every leaf string in document order, once', () => {
    const value = { read: ['jobs/*/masks/*', 'training-runs/*'], write: ['training-runs/*', 'metrics/*'], nested: { url: 'https://x', n: 3, ok: true, none: null } };
    expect(leafStrings(value)).toEqual(['jobs/*/masks/*', 'training-runs/*', 'metrics/*', 'https://x']);
  });

  it('takes a plain string as its own leaf and skips keys, numbers and empty strings', () => {
    expect(leafStrings('https://api.example.com')).toEqual(['https://api.example.com']);
    expect(leafStrings({ name: '', port: 8080, tags: [[], {}] })).toEqual([]);
    expect(leafStrings(null)).toEqual([]);
  });
});

describe('bindingCoverage', () => {
  const value = { read: ['jobs/*/masks/*', 'training-runs/*'], write: ['training-metrics/*'] };

  it('finds values as substrings of the binding file (e.g. inside ARNs)', () => {
    const text = 'resources=["arn:aws:s3:::b/jobs/*/masks/*", "arn:aws:s3:::b/training-metrics/*"]';
    expect(bindingCoverage(value, text)).toEqual({ present: ['jobs/*/masks/*', 'training-metrics/*'], missing: ['training-runs/*'] });
  });

  it('reports everything missing from an empty file and nothing for a value without strings', () => {
    expect(bindingCoverage(value, '')).toEqual({ present: [], missing: ['jobs/*/masks/*', 'training-runs/*', 'training-metrics/*'] });
    expect(bindingCoverage(42, 'anything')).toEqual({ present: [], missing: [] });
  });
});

describe('globMatcher', () => {
  it('matches * within a folder, ? one character and ** across folders', () => {
    const match = globMatcher(['src/*.py', 'lib/**/*.ts', 'a?.txt']);
    expect(['src/a.py', 'src/deep/a.py', 'lib/x.ts', 'lib/a/b/x.ts', 'ab.txt', 'abc.txt', 'docs/ab.txt'].filter(match)).toEqual([
      'src/a.py',
      'lib/x.ts',
      'lib/a/b/x.ts',
      'ab.txt',
      'docs/ab.txt',
    ]);
  });

  it('matches a pattern without / at any depth and a folder with all it holds', () => {
    const match = globMatcher(['*.sh', 'tests', '/build/']);
    expect(['run.sh', 'scripts/run.sh', 'tests/test_a.py', 'app/tests/test_b.py', 'build/out.js', 'src/build/out.js', 'testsuite.py'].filter(match)).toEqual([
      'run.sh',
      'scripts/run.sh',
      'tests/test_a.py',
      'app/tests/test_b.py',
      'build/out.js',
    ]);
  });

  it('treats regular expression characters literally and matches nothing without patterns', () => {
    expect(globMatcher(['a+b.(x)'])('a+b.(x)')).toBe(true);
    expect(globMatcher(['a+b.(x)'])('aab.(x)')).toBe(false);
    expect(globMatcher([])('anything')).toBe(false);
  });
});
