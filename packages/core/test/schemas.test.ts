import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { FILE_KINDS, type JsonSchemaObject, loadSchema, planRealmInit, schemaPath, usesStandaloneValidators, validateAgainstSchema, validateFile, validationMemo } from '@blue/core';
import { EXPORT_SCHEMA_OPTIONS, FILE_SCHEMA_OPTIONS, isDateTime } from '../src/ajv-options.js';

describe('schemas', () => {
  it('ship one draft 2020-12 JSON Schema file per kind of file, each compiling', async () => {
    for (const kind of FILE_KINDS) {
      const schema = JSON.parse(await readFile(schemaPath(kind), 'utf8')) as Record<string, unknown>;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(loadSchema(kind)).toEqual(schema);
      expect(Array.isArray(validateFile(kind, {}))).toBe(true);
    }
  });

  it('accept the files of the RFC in our shape', () => {
    expect(validateFile('config', { realm: { name: 'letemcook', path: '../realm-letemcook', domain: 'aperture' } })).toEqual([]);
    expect(validateFile('imports', { imports: [{ contract: 'required-s3-permissions', from: 'aperture', version: '>=1.0.0', binding: 'cdk/training_tools_access_stack.py', status: 'current', resolved_version: '1.3.0', resolved_at: '2026-01-24T12:00:00Z' }] })).toEqual([]);
    expect(validateFile('domain', { name: 'aperture', repo_url: 'git@github.com:cultivarium/aperture.git', maintainers: ['eric@example.com'], joined_at: '2026-01-24T10:00:00Z' })).toEqual([]);
    expect(validateFile('index', { realms: [{ name: 'letemcook', path: '/home/e/realm-letemcook', domains: [{ name: 'aperture', path: '/home/e/aperture' }] }] })).toEqual([]);
  });

  it('report every problem with a field path', () => {
    const issues = validateFile('imports', { imports: [{ contract: 'Bad Name', from: 'aperture', version: '>=1', binding: 'x', status: 'fresh', extra: 1 }] });
    expect(issues.map((i) => i.path).sort()).toEqual(['imports[0].contract', 'imports[0].extra', 'imports[0].status']);
    expect(issues.find((i) => i.path === 'imports[0].contract')?.message).toContain('kebab-case');
  });

  it('tell detect rules apart by kind', () => {
    const unknownKind = validateFile('repo-exports', { exports: [{ name: 'x', detect: { kind: 'magic' } }] });
    expect(unknownKind).toEqual([expect.objectContaining({ path: 'exports[0].detect.kind', message: expect.stringContaining('"s3-paths", "command"') })]);
    const badField = validateFile('repo-exports', { exports: [{ name: 'x', detect: { kind: 'command', command: [] } }] });
    expect(badField).toEqual([expect.objectContaining({ path: 'exports[0].detect.command' })]);
  });

  it('validate an export value against its own schema', () => {
    const schema = { type: 'object', properties: { read: { type: 'array', items: { type: 'string' } } } };
    expect(validateAgainstSchema(schema, { read: ['jobs/*'] })).toEqual([]);
    expect(validateAgainstSchema(schema, { read: ['a', 'b', 5] })).toEqual([{ path: 'read[2]', pointer: ['read', 2], message: 'must be a string (got 5)' }]);
    expect(validateAgainstSchema({ type: 'nonsense' }, 1)[0]?.message).toContain('is not a valid JSON Schema');
  });

  it('validate against export schemas compiled once each: repeated calls, and schemas sharing an $id, keep their own answers', () => {
    const strings = { $id: 'https://example.com/x.json', type: 'array', items: { type: 'string' } };
    const numbers = { $id: 'https://example.com/x.json', type: 'array', items: { type: 'number' } };
    for (let i = 0; i < 3; i++) {
      expect(validateAgainstSchema(strings, ['a'])).toEqual([]);
      expect(validateAgainstSchema(numbers, [1])).toEqual([]);
      expect(validateAgainstSchema(strings, [1])).toEqual([{ path: '[0]', pointer: [0], message: 'must be a string (got 1)' }]);
      expect(validateAgainstSchema({ type: 'nonsense' }, 1)[0]?.message).toContain('is not a valid JSON Schema');
    }
    // More distinct schemas than the cache holds still validate correctly.
    for (let n = 0; n < 300; n++) expect(validateAgainstSchema({ type: 'integer', maximum: n }, n + 1)).toHaveLength(1);
    expect(validateAgainstSchema(strings, ['b'])).toEqual([]);
  });

  it('remember answers per (schema, value): saved entries answer without compiling, malformed or foreign ones are ignored', () => {
    const schema = { type: 'object', required: ['read'], properties: { read: { type: 'array', items: { type: 'string' } } } };
    validationMemo.clear();
    expect(validateAgainstSchema(schema, { read: [1] })).toEqual([{ path: 'read[0]', pointer: ['read', 0], message: 'must be a string (got 1)' }]);
    expect(validateAgainstSchema(schema, { read: ['a'] })).toEqual([]);
    expect(validationMemo.changed).toBe(true);
    const saved = JSON.parse(JSON.stringify(validationMemo.saved())) as { salt: string; entries: Record<string, unknown> };
    expect(validationMemo.changed).toBe(false);
    expect(Object.keys(saved.entries)).toHaveLength(2);
    // A saved answer is taken as is (here: deliberately altered, to prove it is what answers).
    validationMemo.clear();
    const [invalidKey] = Object.keys(saved.entries);
    validationMemo.load({ ...saved, entries: { ...saved.entries, [invalidKey as string]: [{ path: 'x', pointer: ['x'], message: 'from the memo' }] } });
    expect(validateAgainstSchema(schema, { read: [1] })).toEqual([{ path: 'x', pointer: ['x'], message: 'from the memo' }]);
    expect(validationMemo.changed).toBe(false);
    // Another salt, or entries that are not issues, are ignored: the answer is computed again.
    for (const bad of [{ ...saved, salt: 'other' }, { ...saved, entries: { [invalidKey as string]: [{ path: 1 }] } }, 'garbage', null]) {
      validationMemo.clear();
      validationMemo.load(bad);
      expect(validateAgainstSchema(schema, { read: [1] })[0]?.message).toBe('must be a string (got 1)');
    }
    validationMemo.clear();
  });

  it('validate files with the validators compiled at build time, giving what compiling at run time gives', () => {
    expect(usesStandaloneValidators()).toBe(true);
    const standalone = createRequire(import.meta.url)('../dist/file-validators.cjs') as Record<string, ValidateFunction>;
    const ajv = new Ajv2020(FILE_SCHEMA_OPTIONS).addFormat('date-time', isDateTime);
    const documents: unknown[] = [
      {}, null, [], 'text', { realm: { name: 'Bad Name', path: '', domain: 'x', extra: true } },
      { imports: [{ contract: 'Bad Name', from: 'aperture', version: '>=1', binding: 'x', status: 'fresh', resolved_at: 'yesterday', extra: 1 }] },
      { imports: [{ contract: 'a', from: 'b', version: '1', binding: 'x', status: 'current', resolved_at: '2026-02-30T10:00:00Z' }] },
      { exports: [{ name: 'x', detect: { kind: 'magic' } }, { name: 'y', detect: { kind: 'command', command: [] } }, { name: 'z', value: 1 }] },
      { name: 'aperture', repo_url: 5, maintainers: ['not-an-email'], joined_at: '2026-01-24T10:00:00Z' },
      { realms: [{ name: 'letemcook', path: 3, domains: [{ name: 'a' }] }] },
    ];
    for (const kind of FILE_KINDS) {
      const runtime = ajv.compile(loadSchema(kind));
      const built = standalone[kind];
      expect(built, kind).toBeTypeOf('function');
      for (const doc of documents) {
        expect(built?.(doc), `${kind} ${JSON.stringify(doc)}`).toBe(runtime(doc));
        expect(built?.errors ?? null, `${kind} ${JSON.stringify(doc)}`).toEqual(runtime.errors ?? null);
      }
    }
  });

  it('check export schemas against the meta-schema compiled at build time, with the message ajv itself gives', () => {
    // What ajv says of a schema it is asked to compile (in a fresh instance, as before the build's meta-schema validator).
    const ajvSays = (schema: JsonSchemaObject): string | undefined => {
      try {
        new Ajv2020(EXPORT_SCHEMA_OPTIONS).compile(schema);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    };
    const schemas: JsonSchemaObject[] = [
      { type: 'object', properties: { read: { type: 'array', items: { type: 'string' } } } }, { type: 'bogus' }, { properties: { a: { type: 3 } } },
      { $defs: { x: { minimum: 'a' } }, items: [1] }, { anyOf: [] }, { type: ['string', 'nope'] }, { pattern: 5, $dynamicRef: 7 },
      { $schema: 'https://json-schema.org/draft/2020-12/schema', required: 'read' }, { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
      { $schema: 5 }, { $id: 'not a uri#x#y', type: 'string' }, { $anchor: '1bad' },
    ];
    for (const schema of schemas) {
      const said = ajvSays(schema);
      const issues = validateAgainstSchema(schema, 'a value');
      if (said === undefined) expect(issues.filter((i) => i.path === 'schema'), JSON.stringify(schema)).toEqual([]);
      else expect(issues, JSON.stringify(schema)).toEqual([{ path: 'schema', pointer: ['schema'], message: `is not a valid JSON Schema: ${said}` }]);
    }
    expect((createRequire(import.meta.url)('../dist/schema-meta-validator.cjs') as { meta: unknown }).meta).toBeTypeOf('function');
    expect(ajvSays({ type: 'bogus' })).toMatch(/^schema is invalid: data\/type must be equal to one of the allowed values/);
  });

  it('plan a realm whose realm.yaml is valid, with the creator as first approver', () => {
    const plan = planRealmInit({ name: 'letemcook', now: new Date('2026-01-24T10:00:00.123Z'), creator: 'eric@example.com' });
    expect(plan.realm).toEqual({
      name: 'letemcook',
      version: '1.0.0',
      created_at: '2026-01-24T10:00:00Z',
      governance: { admission: 'approval', approvers: ['eric@example.com'], breaking_changes: { require_approval: true, grace_period_days: 14 } },
    });
    expect(plan.files.map((f) => f.path)).toEqual(['realm.yaml', 'domains/.gitkeep', 'contracts/.gitkeep', '.github/CODEOWNERS']);
    expect(plan.files[3]?.content).toContain('/realm.yaml eric@example.com');
    expect(() => planRealmInit({ name: 'No', now: new Date() })).toThrow(expect.objectContaining({ code: 'NAME_INVALID' }));
  });
});
