// The pure parts of the file-backed detectors: JSON pointers, OpenAPI operations, env-var reads.
import { describe, expect, it } from 'vitest';
import { findEnvVars, isRemoteRef, resolvePointer, scanOpenapi } from '@blue/core';

describe('resolvePointer (RFC 6901)', () => {
  const doc = { a: { 'b/c': [10, { '~k': 'v' }] }, '': 'empty key' };
  it('walks keys and indexes, with ~1 and ~0 escapes', () => {
    expect(resolvePointer(doc, '')).toBe(doc);
    expect(resolvePointer(doc, '/a/b~1c/0')).toBe(10);
    expect(resolvePointer(doc, '/a/b~1c/1/~0k')).toBe('v');
    expect(resolvePointer(doc, '/')).toBe('empty key');
  });
  it('names nothing for missing keys, bad indexes, inherited properties and non-pointers', () => {
    expect(resolvePointer(doc, '/a/b~1c/2')).toBeUndefined();
    expect(resolvePointer(doc, '/a/b~1c/01')).toBeUndefined();
    expect(resolvePointer(doc, '/a/constructor')).toBeUndefined();
    expect(resolvePointer(doc, 'a')).toBeUndefined();
  });
});

describe('scanOpenapi', () => {
  it('lists METHOD /path per operation, sorted, and the path items and $refs to read or check', () => {
    const doc = {
      openapi: '3.1.0',
      paths: {
        '/pets': { get: {}, post: {}, parameters: [], summary: 'x' },
        '/pets/{id}': { $ref: 'paths/pet.yaml#/item' },
        '/local': { $ref: '#/components/pathItems/local' },
      },
      components: { schemas: { Pet: { $ref: 'schemas/pet.json' }, Local: { $ref: '#/components/schemas/Pet' } } },
    };
    expect(scanOpenapi(doc, 'api.yaml')).toEqual({
      operations: ['GET /pets', 'POST /pets'],
      pathRefs: [{ path: '/pets/{id}', ref: 'paths/pet.yaml#/item' }],
      externalRefs: ['paths/pet.yaml#/item', 'schemas/pet.json'],
    });
  });
  it('refuses what is not an OpenAPI 3 document with OPENAPI_INVALID naming the file', () => {
    expect(() => scanOpenapi({ swagger: '2.0', paths: {} }, 'old.yaml')).toThrow(expect.objectContaining({ code: 'OPENAPI_INVALID', file: 'old.yaml' }));
    expect(() => scanOpenapi({ openapi: '3.0.0', paths: [] }, 'a.yaml')).toThrow(expect.objectContaining({ code: 'OPENAPI_INVALID' }));
    expect(() => scanOpenapi({ openapi: '3.0.0', paths: { pets: {} } }, 'a.yaml')).toThrow(expect.objectContaining({ message: 'a.yaml: the path "pets" does not start with "/".' }));
  });
  it('tells network references from repository files', () => {
    expect(['https://x/y.yaml', 'http://x', '//cdn/x.yaml', 'file:///etc/passwd'].map(isRemoteRef)).toEqual([true, true, true, true]);
    expect(['paths/pet.yaml', '../shared/a.yaml#/x'].map(isRemoteRef)).toEqual([false, false]);
  });
});

describe('findEnvVars', () => {
  it('finds the reads of each language in code files, not in comments or other files', () => {
    const ts = 'const a = process.env.PORT;\nconst b = process.env["API_KEY"] ?? import.meta.env.VITE_URL;\n// process.env.NOT_ME\n';
    expect(findEnvVars({ path: 'src/a.ts', text: ts })).toEqual(['API_KEY', 'PORT', 'VITE_URL']);
    expect(findEnvVars({ path: 'a.py', text: 'os.environ["A"]\nos.environ.get(\'B\')\nos.getenv("C")\n# os.getenv("D")\n' })).toEqual(['A', 'B', 'C']);
    expect(findEnvVars({ path: 'a.rb', text: 'ENV["A"]\nENV.fetch("B")\nMY_ENV["C"]\n' })).toEqual(['A', 'B']);
    expect(findEnvVars({ path: 'main.go', text: 'os.Getenv("HOME_DIR")' })).toEqual(['HOME_DIR']);
    expect(findEnvVars({ path: 'README.md', text: 'process.env.X' })).toEqual([]);
  });
});
