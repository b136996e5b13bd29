import { describe, expect, it } from 'vitest';
import { classifyBump, describeChange, diffSchemas, diffValues, findCycles, inferSchema, topologicalOrder } from '@blue/core';

const S3 = { type: 'object', properties: { read: { type: 'array', items: { type: 'string' } }, write: { type: 'array', items: { type: 'string' } } } };

describe('diffValues', () => {
  it('compares arrays as sets and objects by key', () => {
    const changes = diffValues({ read: ['a', 'b'], write: ['c'], n: 1 }, { read: ['b', 'a', 'x'], write: [], n: 2, extra: true });
    expect(changes.map(describeChange)).toEqual(['+ x (read)', '- c (write)', '~ n: 1 → 2', '+ true (extra)']);
    expect(diffValues({ a: [1, { b: 2 }] }, { a: [{ b: 2 }, 1] })).toEqual([]);
  });
});

describe('classifyBump', () => {
  it('additions are minor, removals major, description patch, nothing none', () => {
    const before = { value: { read: ['jobs/*'], write: [] }, schema: S3, description: 'd' };
    expect(classifyBump(before, { ...before, value: { read: ['jobs/*', 'runs/*'], write: [] } })).toMatchObject({ bump: 'minor', breaking: false });
    expect(classifyBump(before, { ...before, value: { read: [], write: [] } })).toMatchObject({ bump: 'major', breaking: true, reasons: ['removed "jobs/*" (read): breaking'] });
    expect(classifyBump(before, { ...before, description: 'new words' })).toMatchObject({ bump: 'patch' });
    expect(classifyBump(before, before)).toMatchObject({ bump: undefined, reasons: [] });
  });

  it('a schema that accepts more is minor, one that refuses what it accepted is major', () => {
    const value = { read: ['a'] };
    const strict = { ...S3, required: ['read'], additionalProperties: false };
    expect(classifyBump({ value, schema: strict }, { value, schema: S3 })).toMatchObject({ bump: 'minor' });
    expect(classifyBump({ value, schema: S3 }, { value, schema: strict })).toMatchObject({ bump: 'major' });
    expect(diffSchemas({ type: 'string' }, { type: ['string', 'null'] })).toEqual([{ path: '', effect: 'widens', message: 'type now allows null' }]);
    expect(diffSchemas({ type: 'number' }, { type: 'integer' })[0]?.effect).toBe('narrows');
    expect(diffSchemas({ maxItems: 3 }, { maxItems: 5 })[0]?.effect).toBe('widens');
    expect(diffSchemas({ type: 'string', description: 'x' }, { type: 'string', description: 'y' })[0]?.effect).toBe('annotation');
  });
});

describe('graph order', () => {
  const edge = (from: string, to: string) => ({ from, to, contract: 'c', range: '^1.0.0', status: 'current' as const });
  it('puts providers before consumers and names cycles', () => {
    expect(topologicalOrder({ nodes: ['c', 'b', 'a'], edges: [edge('a', 'b'), edge('b', 'c')] })).toEqual(['a', 'b', 'c']);
    const cyclic = { nodes: ['a', 'b', 'c'], edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')] };
    expect(topologicalOrder(cyclic)).toBeUndefined();
    expect(findCycles(cyclic)).toEqual([['a', 'b', 'c', 'a']]);
  });
});

it('infers a schema from a value', () => {
  expect(inferSchema({ read: ['a'], n: 1.5, ok: true })).toEqual({
    type: 'object',
    properties: { read: { type: 'array', items: { type: 'string' } }, n: { type: 'number' }, ok: { type: 'boolean' } },
    required: ['read', 'n', 'ok'],
  });
});

describe('keys JavaScript objects inherit', () => {
  // Found by the bump property (properties.test.ts): `before.toString` is a function, so removing
  // a key named "toString" went unseen and the bump was minor.
  it('a key named toString, constructor or __proto__ is added and removed like any other', () => {
    const hostile = JSON.parse('{"toString": ["a"], "constructor": ["b"], "__proto__": ["c"], "read": ["d"]}') as Record<string, string[]>;
    expect(classifyBump({ value: hostile, schema: {} }, { value: { read: ['d'] }, schema: {} })).toMatchObject({ bump: 'major', breaking: true });
    expect(diffValues({ read: ['d'] }, hostile).map((c) => `${c.kind} ${c.path}`)).toEqual(['added toString', 'added constructor', 'added __proto__']);
    expect(classifyBump({ value: { read: ['d'] }, schema: {} }, { value: hostile, schema: {} }).bump).toBe('minor');
    const items = inferSchema([hostile, { other: 1 }]).items as { properties: Record<string, unknown> };
    expect(Object.keys(items.properties)).toEqual(['toString', 'constructor', '__proto__', 'read', 'other']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
