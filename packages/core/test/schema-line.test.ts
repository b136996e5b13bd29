import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, WORKSPACE_ROOT } from '@blue/testkit';
import { FILE_KINDS, planRealmInit, readYamlFile, renderYamlFile, schemaLine, schemaPath, schemaUrl, withSchemaLine, writeYamlFile, type RepoConfigFile } from '@blue/core';

const CORE = join(WORKSPACE_ROOT, 'packages/core');
const config: RepoConfigFile = { realm: { name: 'letemcook', path: '../realm-letemcook', domain: 'aperture' } };

function schemaLines(text: string): string[] {
  return text.split('\n').filter((l) => l.includes('yaml-language-server'));
}

describe('the yaml-language-server schema line', () => {
  it('points at this package\'s schemas/ on jsDelivr at its version line, one file per kind that the package ships', async () => {
    const pkg = JSON.parse(await readFile(join(CORE, 'package.json'), 'utf8')) as { name: string; version: string; files: string[]; exports: Record<string, string> };
    const [major, minor] = pkg.version.split('.');
    const line = major === '0' ? `0.${minor}` : major;
    expect(pkg.files).toContain('schemas');
    expect(pkg.exports['./schemas/*']).toBe('./schemas/*');
    const require = createRequire(join(CORE, 'test', 'x.js'));
    for (const kind of FILE_KINDS) {
      expect(schemaUrl(kind)).toBe(`https://cdn.jsdelivr.net/npm/${pkg.name}@${line}/schemas/${kind}.schema.json`);
      expect(schemaLine(kind)).toBe(`# yaml-language-server: $schema=${schemaUrl(kind)}`);
      // The same path inside the package, shipped and exported (what the URL serves once published).
      expect(existsSync(join(CORE, 'schemas', `${kind}.schema.json`))).toBe(true);
      expect(require.resolve(`@blue/core/schemas/${kind}.schema.json`)).toBe(schemaPath(kind));
    }
  });

  it('a new file starts with it, before the header comments', async () => {
    const file = join(await tempDir(), 'config.yaml');
    await writeYamlFile('config', file, config, { header: ['Blue: this repository in its realm.'] });
    const text = await readFile(file, 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual([schemaLine('config'), '# Blue: this repository in its realm.', '']);
  });

  it('updating keeps exactly one, keeps the user\'s comments, and adds it to a file that had none', async () => {
    const file = join(await tempDir(), 'config.yaml');
    await writeFile(file, '# mine\nrealm:\n  name: letemcook # inline\n  path: ../realm-letemcook\n  domain: aperture\n');
    expect((await readYamlFile('config', file)).realm.name).toBe('letemcook');
    for (const domain of ['fungal', 'aperture', 'fungal']) await writeYamlFile('config', file, { realm: { ...config.realm, domain } });
    const text = await readFile(file, 'utf8');
    expect(schemaLines(text)).toEqual([schemaLine('config')]);
    expect(text.startsWith(`${schemaLine('config')}\n# mine\n`)).toBe(true);
    expect(text).toContain('name: letemcook # inline');
    expect((await readYamlFile('config', file)).realm.domain).toBe('fungal');
  });

  it('an old or foreign schema line in the leading comments is replaced, one further down is left alone', () => {
    const text = '# yaml-language-server: $schema=https://example.test/old.json\n# note\n#yaml-language-server: $schema=./x.json\nrealm:\n  # yaml-language-server: $schema=kept\n  name: x\n';
    expect(withSchemaLine('config', text)).toBe(`${schemaLine('config')}\n# note\nrealm:\n  # yaml-language-server: $schema=kept\n  name: x\n`);
    expect(withSchemaLine('config', withSchemaLine('config', text))).toBe(withSchemaLine('config', text));
  });

  it('rendering is stable: the same value renders the same text again', async () => {
    const file = join(await tempDir(), 'config.yaml');
    await writeYamlFile('config', file, config);
    expect(await renderYamlFile('config', file, config)).toBe(await readFile(file, 'utf8'));
  });

  it('realm.yaml from realm init starts with the realm schema line', () => {
    const plan = planRealmInit({ name: 'letemcook', now: new Date('2026-01-01T00:00:00Z') });
    const realm = plan.files.find((f) => f.path === 'realm.yaml');
    expect(realm?.content.split('\n')[0]).toBe(schemaLine('realm'));
    expect(schemaLines(realm?.content ?? '')).toHaveLength(1);
  });
});
