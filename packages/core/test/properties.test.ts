// Property-based checks (fast-check): YAML read -> write -> read is the identity, the version-bump
// classifier never proposes less than an addition or removal requires, and the merge order is a
// topological order of any acyclic graph while any cycle through the chosen domains is refused.
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { stringify as yamlStringify } from 'yaml';
import { BlueError, classifyBump, inferSchema, jsonEqual, mergePlan, parseYaml, stringifyYaml, updateYaml, type JsonValue } from '@blue/core';
import { verifies } from '@blue/testkit';

/** Strings YAML would read as something else when written carelessly, and keys JavaScript treats specially. */
const TRICKY = ['true', 'no', 'null', '~', '1e3', '0x10', '0o7', '.inf', '-.nan', '2026-01-24', '12:30', '', ' lead', 'trail ', '#x', '- x', 'a: b', '"q"', "'", '*ref', '&a', '!tag', '%', '@', '`', '|', '>', '\t', 'a\nb', '\u00e9\u4e2d\ud83d\ude00', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const text = fc.oneof(fc.string(), fc.constantFrom(...TRICKY), fc.string({ unit: 'grapheme' }));
/** JSON values (no -0: YAML and JSON both write it as 0) nested at most 6 levels. */
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    text,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(text, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

const RUNS = { numRuns: 200 };

/**
 * Same JSON, key order included. (Not toStrictEqual: it compares `a.constructor`, which for a
 * value with a key named "constructor" is that key's value.)
 */
function expectSameJson(actual: unknown, expected: unknown): void {
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** Same JSON, key order ignored (updateYaml keeps the order of the keys already in the file). */
function expectEqualJson(actual: unknown, expected: JsonValue): void {
  expect(jsonEqual(actual as JsonValue, expected), `${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`).toBe(true);
}

describe('property: YAML read -> write -> read', () => {
  verifies('yaml-round-trip-property', 'a value written by stringifyYaml reads back equal, and writing what was read changes no byte', () => {
    fc.assert(
      fc.property(json, (value) => {
        const written = stringifyYaml(value);
        const read = parseYaml(written, 'doc.yaml').value;
        expectSameJson(read, value);
        expect(updateYaml(written, read)).toBe(written);
      }),
      RUNS,
    );
  });

  verifies('yaml-round-trip-property', 'a document in another style (flow, quoted, block, with comments) rewritten by updateYaml reads back as the value written', () => {
    const style = fc.record({ collectionStyle: fc.constantFrom('any', 'block', 'flow'), defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL') } as const);
    fc.assert(
      fc.property(json, style, (value, options) => {
        const human = `# written by hand\n${yamlStringify(value, options)}`;
        // The document is whatever it reads as (the yaml package itself writes " " as a block
        // literal that reads as ""); rewriting it with that value keeps it.
        const read = parseYaml(human, 'doc.yaml').value;
        expectEqualJson(parseYaml(updateYaml(human, read), 'doc.yaml').value, read as JsonValue);
        // And rewriting it with the value it was meant to hold holds exactly that value.
        expectEqualJson(parseYaml(updateYaml(human, value), 'doc.yaml').value, value);
      }),
      RUNS,
    );
  });

  verifies('yaml-round-trip-property', 'updateYaml over any existing document writes exactly the new value', () => {
    fc.assert(
      fc.property(json, json, (old, value) => {
        expectEqualJson(parseYaml(updateYaml(stringifyYaml(old), value), 'doc.yaml').value, value);
      }),
      RUNS,
    );
  });
});

/** An export value as Blue's detectors make them: a map of lists of strings (and a nested map). */
const exportValue = fc.dictionary(text, fc.oneof(fc.uniqueArray(text, { maxLength: 6 }), fc.dictionary(text, fc.uniqueArray(text, { maxLength: 4 }), { maxKeys: 3, noNullPrototype: true })), { minKeys: 1, maxKeys: 5, noNullPrototype: true });
type ExportValue = Record<string, string[] | Record<string, string[]>>;
/** A schema that accepts any value: the bump then follows from the value alone. */
const ANY = {};

function rank(bump: string | undefined): number {
  return bump === 'major' ? 3 : bump === 'minor' ? 2 : bump === 'patch' ? 1 : 0;
}

/** `value` with `item` added to list `key` (created when missing). */
function withItem(value: ExportValue, key: string, item: string): ExportValue {
  const list = value[key];
  return Object.fromEntries<string[] | Record<string, string[]>>([...Object.entries(value).filter(([k]) => k !== key), [key, Array.isArray(list) ? [...list, item] : [item]]]);
}

describe('property: the version bump', () => {
  verifies('bump-classifier-property', 'an addition alone is exactly minor under the same schema, and at least minor with inferred schemas', () => {
    fc.assert(
      fc.property(exportValue, text, text, (before, key, item) => {
        const list = before[key];
        fc.pre(list === undefined || (Array.isArray(list) && !list.includes(item)));
        const after = withItem(before, key, item);
        expect(classifyBump({ value: before, schema: ANY }, { value: after, schema: ANY }).bump).toBe('minor');
        expect(rank(classifyBump({ value: before, schema: inferSchema(before) }, { value: after, schema: inferSchema(after) }).bump)).toBeGreaterThanOrEqual(2);
      }),
      RUNS,
    );
  });

  verifies('bump-classifier-property', 'a removal is always major and breaking, whatever else changes with it', () => {
    fc.assert(
      fc.property(exportValue, fc.nat(), exportValue, (before, pick, extra) => {
        const keys = Object.keys(before);
        const gone = keys[pick % keys.length] ?? '';
        // Remove a whole key, plus whatever `extra` adds under keys `before` does not have.
        const after = Object.fromEntries([...Object.entries(before).filter(([k]) => k !== gone), ...Object.entries(extra).filter(([k]) => !Object.hasOwn(before, k))]);
        for (const schemas of [[ANY, ANY], [inferSchema(before), inferSchema(after)]] as const) {
          const result = classifyBump({ value: before, schema: schemas[0] }, { value: after, schema: schemas[1] });
          expect(result.bump).toBe('major');
          expect(result.breaking).toBe(true);
        }
      }),
      RUNS,
    );
  });

  verifies('bump-classifier-property', 'no change is no bump; the bump of a change is never smaller than that of the largest part of it', () => {
    fc.assert(
      fc.property(exportValue, exportValue, (before, after) => {
        expect(classifyBump({ value: before, schema: inferSchema(before) }, { value: before, schema: inferSchema(before) }).bump).toBeUndefined();
        const result = classifyBump({ value: before, schema: ANY }, { value: after, schema: ANY });
        const needed = Math.max(0, ...result.value_changes.map((c) => (c.kind === 'added' ? 2 : 3)));
        expect(rank(result.bump)).toBeGreaterThanOrEqual(needed);
      }),
      RUNS,
    );
  });
});

/** A random acyclic graph: nodes d0..dn-1, edges only from a lower to a higher position in a shuffled order. */
const dag = fc
  .integer({ min: 1, max: 9 })
  .chain((n) =>
    fc.record({
      nodes: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => `d${i}`),
        { minLength: n, maxLength: n },
      ),
      pairs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 20 }),
      chosen: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    }),
  )
  .map(({ nodes, pairs, chosen }) => {
    const edges = pairs.filter(([a, b]) => a < b).map(([a, b]) => ({ from: nodes[a] ?? '', to: nodes[b] ?? '' }));
    const domains = nodes.filter((_, i) => chosen[i]);
    return { nodes, edges, domains: domains.length > 0 ? domains : [nodes[0] ?? 'd0'] };
  });

function reaches(edges: ReadonlyArray<{ from: string; to: string }>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const todo = [from];
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    for (const e of edges) {
      if (e.from !== at || seen.has(e.to)) continue;
      if (e.to === to) return true;
      seen.add(e.to);
      todo.push(e.to);
    }
  }
  return false;
}

describe('property: the merge order', () => {
  verifies('merge-order-property', 'for a random acyclic graph: every chosen domain once, providers before consumers (also through unchosen domains)', () => {
    fc.assert(
      fc.property(dag, ({ edges, domains }) => {
        const plan = mergePlan(domains, edges);
        expect([...plan.order].sort()).toEqual([...domains].sort());
        for (const a of domains) {
          for (const b of domains) {
            if (a !== b && reaches(edges, a, b)) expect(plan.order.indexOf(a), `${a} before ${b}`).toBeLessThan(plan.order.indexOf(b));
          }
          expect(plan.providers[a]).toEqual(plan.order.filter((p) => p !== a && reaches(edges, p, a)));
        }
      }),
      RUNS,
    );
  });

  verifies('merge-order-property', 'a back edge that closes a cycle through a chosen domain is always refused with IMPORT_CYCLE naming a real cycle', () => {
    fc.assert(
      fc.property(dag, fc.nat(), fc.nat(), ({ nodes, edges, domains }, i, j) => {
        // A path down the shuffled order from a chosen domain, then an edge back up: a cycle.
        const start = domains[i % domains.length] ?? '';
        const below = nodes.slice(nodes.indexOf(start));
        const end = below[j % below.length] ?? start;
        const down = end === start ? [] : [{ from: start, to: end }];
        const cyclic = [...edges, ...down, { from: end, to: start }];
        let error: unknown;
        try {
          mergePlan(domains, cyclic);
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(BlueError);
        expect((error as BlueError).code).toBe('IMPORT_CYCLE');
        const named = /cycle, so no merge order exists: (.+)\.$/.exec((error as BlueError).message)?.[1]?.split(' → ') ?? [];
        // A closed walk (first repeated at the end), each named domain providing to the next.
        expect(named.length).toBeGreaterThan(1);
        expect(named.at(-1)).toBe(named[0]);
        named.slice(0, -1).forEach((from, k) => expect(cyclic.some((e) => e.from === from && e.to === named[k + 1]), named.join(' → ')).toBe(true));
      }),
      RUNS,
    );
  });
});
