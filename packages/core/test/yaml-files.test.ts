import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, verifies } from '@blue/testkit';
import { parseFileOfKind, readYamlFile, updateYaml, writeFileAtomic, writeYamlFile, type RealmFile } from '@blue/core';

const realm: RealmFile = {
  name: 'letemcook',
  version: '1.0.0',
  created_at: '2026-01-24T10:00:00Z',
  governance: { admission: 'approval', approvers: ['eric@example.com'], breaking_changes: { require_approval: true, grace_period_days: 14 } },
};

const RFC_EXPORTS = `exports:
  - name: required-s3-permissions
    version: "1.3.0"
    description: S3 paths that aperture training code needs to access
    schema:
      type: object
      properties:
        read:
          type: array
          items: { type: string }
    value:
      read:
        - "jobs/*/masks/*"
        - 5
    changelog:
      - version: "1.3.0"
        date: 2026-01-24
        changes:
          - "Added training-metrics/* for experiment tracking"
`;

describe('YAML errors', () => {
  verifies('yaml-errors-located', 'a syntax error names file, line and column', () => {
    expect(() => parseFileOfKind('realm', 'name: letemcook\ngovernance: [\n', 'realm.yaml')).toThrow(
      expect.objectContaining({ code: 'YAML_SYNTAX', file: 'realm.yaml', line: 3, message: expect.stringMatching(/^realm\.yaml:3:\d+: /) }),
    );
  });

  verifies('yaml-errors-located', 'duplicate keys are a syntax error', () => {
    expect(() => parseFileOfKind('realm', 'name: a\nname: b\n', 'realm.yaml')).toThrow(expect.objectContaining({ code: 'YAML_SYNTAX', line: 2 }));
  });

  verifies('yaml-errors-located', 'an unknown key is reported with its path and line', () => {
    const text = RFC_EXPORTS.replace('    description:', '    descripton: typo\n    description:');
    expect(() => parseFileOfKind('realm-exports', text, 'domains/aperture/exports.yaml')).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INVALID', line: 4, message: expect.stringContaining('exports[0].descripton is not a known field') }),
    );
  });

  verifies('yaml-errors-located', 'a wrong type is reported with the field path, the value and the line', () => {
    const text = RFC_EXPORTS.replace('version: "1.3.0"\n    description', 'version: 1.3\n    description');
    expect(() => parseFileOfKind('realm-exports', text, 'domains/aperture/exports.yaml')).toThrow(
      expect.objectContaining({ message: 'domains/aperture/exports.yaml:3: exports[0].version must be a string (got 1.3)', line: 3 }),
    );
  });

  it('alias bombs are refused rather than expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(() => parseFileOfKind('realm', bomb, 'bomb.yaml')).toThrow(expect.objectContaining({ code: 'YAML_SYNTAX' }));
  });

  it('accepts the RFC examples (with the published value fixed)', () => {
    const fixed = RFC_EXPORTS.replace('        - 5\n', '        - "training-runs/*"\n');
    const parsed = parseFileOfKind('realm-exports', fixed, 'exports.yaml');
    expect(parsed.exports[0]?.version).toBe('1.3.0');
    expect(parsed.exports[0]?.changelog[0]?.date).toBe('2026-01-24');
  });
});

describe('YAML files', () => {
  verifies('yaml-preserves-comments', 'an update keeps comments and key order, appends new keys, drops removed ones', () => {
    const before = '# the realm\nname: letemcook # do not rename\nversion: 1.0.0\nlegacy: true\ngovernance:\n  # who may join\n  admission: open\n';
    const after = updateYaml(before, { name: 'letemcook', version: '1.1.0', governance: { admission: 'approval', approvers: ['a@b.c'] } });
    expect(after).toBe('# the realm\nname: letemcook # do not rename\nversion: 1.1.0\ngovernance:\n  # who may join\n  admission: approval\n  approvers:\n    - a@b.c\n');
  });

  verifies(['atomic-writes', 'yaml-preserves-comments'], 'writeYamlFile validates, writes atomically and round-trips', async () => {
    const dir = await tempDir();
    const file = join(dir, 'realm.yaml');
    await writeYamlFile('realm', file, realm, { header: ['hello'] });
    await writeFile(file, (await readFile(file, 'utf8')).replace('approvers:', '# keep me\n  approvers:'));
    await writeYamlFile('realm', file, { ...realm, version: '1.1.0' });
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+\/realm\.schema\.json\n# hello\n/);
    expect(text).toContain('# keep me');
    expect(await readYamlFile('realm', file)).toEqual({ ...realm, version: '1.1.0' });
    expect(await readdir(dir)).toEqual(['realm.yaml']);
  });

  verifies('atomic-writes', 'an invalid value is refused before anything is written', async () => {
    const dir = await tempDir();
    const file = join(dir, 'realm.yaml');
    await writeYamlFile('realm', file, realm);
    const before = await readFile(file, 'utf8');
    const bad = { ...realm, governance: { ...realm.governance, admission: 'anyone' } } as unknown as RealmFile;
    await expect(writeYamlFile('realm', file, bad)).rejects.toMatchObject({ code: 'SCHEMA_INVALID', message: expect.stringContaining('governance.admission must be one of') });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['realm.yaml']);
  });

  verifies('atomic-writes', 'a failed write leaves the old content and no temp file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'target');
    await writeFileAtomic(file, 'old');
    // Renaming a file over a non-empty folder fails after the temp file was written.
    const folder = join(dir, 'folder');
    await writeFileAtomic(join(folder, 'inside'), 'x');
    await expect(writeFileAtomic(folder, 'new')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['folder', 'target']);
    expect(await readFile(file, 'utf8')).toBe('old');
  });
});
