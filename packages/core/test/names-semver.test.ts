import { describe, expect, it } from 'vitest';
import { verifies } from '@blue/testkit';
import { assertName, assertRange, assertVersion, BlueError, bumpVersion, nameProblem, newestSatisfying, redactSecrets, suggestName } from '@blue/core';

describe('names', () => {
  verifies('names-validated', 'accepts kebab-case and refuses everything that could escape a folder', () => {
    for (const ok of ['letemcook', 'fungal-image-analysis', 'a', 'x1-2y', 'a'.repeat(64)]) expect(nameProblem(ok)).toBeUndefined();
    const bad = ['', 'Letemcook', 'snake_case', 'double--dash', '-lead', 'trail-', '..', '../up', 'a/b', 'a\\b', 'nul\0', 'a'.repeat(65), 'ａperture', 'café'];
    for (const name of bad) expect(nameProblem(name), name).toBeDefined();
    expect(() => assertName('domain', '../etc')).toThrow(BlueError);
    expect(() => assertName('realm', 'Bad Name')).toThrow(expect.objectContaining({ code: 'NAME_INVALID', hint: expect.stringContaining('"bad-name"') }));
  });

  verifies('names-validated', 'suggests a name from free text', () => {
    expect(suggestName('Fungal Image_Analysis!')).toBe('fungal-image-analysis');
    expect(suggestName('---')).toBe('');
  });
});

describe('semver', () => {
  it('validates versions and ranges with coded errors', () => {
    expect(assertVersion('1.4.0')).toBe('1.4.0');
    expect(() => assertVersion('1.4')).toThrow(expect.objectContaining({ code: 'VERSION_INVALID' }));
    expect(assertRange('>=1.0.0')).toBe('>=1.0.0');
    expect(() => assertRange('>>1')).toThrow(expect.objectContaining({ code: 'VERSION_INVALID' }));
  });

  it('finds the newest satisfying version and bumps', () => {
    expect(newestSatisfying(['1.2.0', '1.4.0', '2.0.0', '1.3.0'], '^1.0.0')).toBe('1.4.0');
    expect(newestSatisfying(['2.0.0'], '^1.0.0')).toBeUndefined();
    expect(bumpVersion('1.3.0', 'minor')).toBe('1.4.0');
    expect(bumpVersion('1.3.0', 'major')).toBe('2.0.0');
  });
});

describe('redaction', () => {
  verifies('secrets-redacted', 'removes URL credentials, GitHub tokens and named secrets', () => {
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    const text = `fatal: unable to access 'https://bob:${token}@github.com/o/r.git/' Authorization: token s3cr3t-value x-access-token:abc@host`;
    const out = redactSecrets(text, ['s3cr3t-value']);
    expect(out).not.toContain(token);
    expect(out).not.toContain('bob:');
    expect(out).not.toContain('s3cr3t-value');
    expect(out).toContain('https://***@github.com/o/r.git/');
  });
});
