// Hostile and malformed YAML in a realm file, one test per case, through the real CLI: `blue
// status` refuses with a coded error and `blue realm check` reports the file, both exit 3;
// neither writes or changes anything. Large cases are generated into the temp realm, never committed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { runBlue, spawnMcp, verifies } from '@blue/testkit';
import { changes, EXIT, expectRefused, expectToolRefused, sharedScenario, snapshot, STACK, withFile } from './helpers.js';

const CORPUS = join(import.meta.dirname, 'corpus', 'yaml');
const TARGET = 'domains/aperture/exports.yaml';

interface Case {
  name: string;
  /** The bytes planted as the realm's domains/aperture/exports.yaml. */
  bytes: () => Buffer | Promise<Buffer>;
  code: string;
  /** What the message must say. */
  message: RegExp;
  /** Also run without --json and look at stderr. */
  human?: boolean;
}

const corpus = (file: string) => () => readFile(join(CORPUS, file));

/** `depth` nested one-key maps, as block YAML. */
function deeplyNested(depth: number): Buffer {
  const lines = ['exports:', '  - name: deep', '    value:'];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(6 + 2 * i)}k:`);
  return Buffer.from(`${lines.join('\n')} 1\n`);
}

/** The billion-laughs document: 10 levels of 10 aliases each (10^10 strings if expanded). */
function billionLaughs(): Buffer {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push('exports: []');
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** A 50 MB file: a valid header, then a comment line after line (never parsed: refused by size). */
function fiftyMegabytes(): Buffer {
  const line = `# ${'x'.repeat(1021)}\n`;
  return Buffer.from(`exports: []\n${line.repeat(50 * 1024)}`);
}

const CASES: Case[] = [
  { name: 'a syntax error', human: true, bytes: corpus('syntax-error.yaml'), code: 'YAML_SYNTAX', message: /exports\.yaml:\d+:\d+/ },
  { name: 'duplicate keys', bytes: corpus('duplicate-keys.yaml'), code: 'YAML_SYNTAX', message: /exports\.yaml:2:\d+: Map keys must be unique/ },
  { name: 'tabs as indentation', bytes: corpus('tab-indent.yaml'), code: 'YAML_SYNTAX', message: /exports\.yaml:2:\d+: .*[Tt]ab/ },
  { name: 'an unknown alias', bytes: corpus('unknown-alias.yaml'), code: 'YAML_SYNTAX', message: /exports\.yaml: Unresolved alias/ },
  { name: 'schema-invalid values', bytes: corpus('schema-invalid.yaml'), code: 'SCHEMA_INVALID', message: /exports\.yaml:2: exports\[0\]\.\w+ .*\(and \d+ more problems\)/ },
  { name: 'a __proto__ key', bytes: corpus('proto-key.yaml'), code: 'SCHEMA_INVALID', message: /__proto__/ },
  { name: 'a constructor.prototype key', bytes: corpus('constructor-key.yaml'), code: 'SCHEMA_INVALID', message: /constructor/ },
  { name: 'Latin-1 bytes (not UTF-8)', bytes: corpus('latin1.yaml'), code: 'YAML_SYNTAX', message: /exports\.yaml:2 is not UTF-8 text/ },
  { name: 'a UTF-16 file with its BOM', bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('exports: []\n', 'utf16le')]), code: 'YAML_SYNTAX', message: /is not UTF-8 text: it starts with a UTF-16/ },
  { name: 'a billion-laughs alias bomb', bytes: () => billionLaughs(), code: 'YAML_SYNTAX', message: /[Aa]lias/ },
  { name: 'a document nested 200 levels deep', bytes: () => deeplyNested(200), code: 'YAML_SYNTAX', message: /nest deeper than 64 levels/ },
  { name: 'a document nested 20000 levels deep (flow)', bytes: () => Buffer.from(`exports: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`), code: 'YAML_SYNTAX', message: /nest deeper than 64 levels/ },
  { name: 'a 50 MB file [long]', bytes: () => fiftyMegabytes(), code: 'FILE_TOO_LARGE', message: /is 50\.\d MiB; Blue reads YAML files of at most 8 MiB/ },
];

describe('hostile YAML in a realm file', () => {
  const shared = sharedScenario();

  for (const c of CASES) {
    verifies('hostile-input-refused', `${c.name}: status refuses with ${c.code}, check reports the file, both exit 3, nothing changes`, async () => {
      const { box, s } = shared();
      await withFile(join(s.realm, TARGET), await c.bytes(), async () => {
        const before = await snapshot(box);
        // Both only read: run them side by side.
        const [status, check] = await Promise.all([runBlue(box, ['status', '--json'], { cwd: s.fungal.dir }), runBlue(box, ['realm', 'check', '--json'], { cwd: s.realm })]);
        const error = expectRefused(status, c.code, EXIT.input);
        expect(error.message).toMatch(c.message);
        expect(error.message).toContain(TARGET);
        if (c.human === true) {
          const human = await runBlue(box, ['status'], { cwd: s.fungal.dir });
          expect(human.exitCode).toBe(EXIT.input);
          expect(human.stderr).toMatch(/^Error: .*\nHint: /);
          expect(human.stderr).not.toMatch(STACK);
        }

        // check reads every file leniently: each bad one is a finding, and the exit code is 3.
        expect(check.exitCode, check.stderr).toBe(EXIT.input);
        const { findings, invalid_files } = check.json<{ invalid_files: boolean; findings: Array<{ rule: string; file?: string; message: string }> }>();
        expect(invalid_files).toBe(true);
        expect(findings).toContainEqual(expect.objectContaining({ rule: 'file-invalid', file: TARGET, message: expect.stringMatching(c.message) as unknown }));
        expect(changes(before, await snapshot(box))).toEqual([]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    });
  }

  verifies('hostile-input-refused', 'MCP: blue_status is isError and blue_realm_check reports the file for a representative set of the corpus, nothing changes', async () => {
    const { box, s } = shared();
    const { client } = await spawnMcp(box);
    for (const c of CASES.filter((x) => /syntax error|__proto__|Latin-1|billion|20000/.test(x.name))) {
      await withFile(join(s.realm, TARGET), await c.bytes(), async () => {
        const before = await snapshot(box);
        const status = await client.callTool({ name: 'blue_status', arguments: { cwd: s.fungal.dir } });
        expect(expectToolRefused(status, c.code, c.name)).toMatch(c.message);
        const check = await client.callTool({ name: 'blue_realm_check', arguments: { cwd: s.realm } });
        expect((check.structuredContent as { findings: Array<{ file?: string }> }).findings.some((f) => f.file === TARGET), c.name).toBe(true);
        expect(changes(before, await snapshot(box))).toEqual([]);
      });
    }
  });

  verifies('hostile-input-refused', 'a UTF-8 BOM is accepted: the same status as without it', async () => {
    const { box, s } = shared();
    const target = join(s.realm, TARGET);
    const plain = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
    expect(plain.exitCode, plain.stderr).toBe(0);
    await withFile(target, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await readFile(target)]), async () => {
      const withBom = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
      expect(withBom.exitCode, withBom.stderr).toBe(0);
      expect(withBom.json()).toEqual(plain.json());
    });
  });

  verifies('hostile-input-refused', 'a hostile .blue/config.yaml in the repo: status refuses it with YAML_SYNTAX, nothing changes', async () => {
    const { box, s } = shared();
    await withFile(join(s.fungal.dir, '.blue', 'config.yaml'), billionLaughs(), async () => {
      const before = await snapshot(box);
      const error = expectRefused(await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir }), 'YAML_SYNTAX', EXIT.input);
      expect(error.message).toContain('.blue/config.yaml');
      expect(changes(before, await snapshot(box))).toEqual([]);
    });
  });
});
