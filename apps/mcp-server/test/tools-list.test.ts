import { describe, expect } from 'vitest';
import { MCP_PROTOCOLS, sandbox, spawnMcp, verifies } from '@blue/testkit';

/** The whole tools/list response may cost an agent at most this many characters (about 4k tokens). */
const BUDGET = 16_000;

/** Where a JSON Schema uses a type array, or is empty (says nothing about the value). */
function dialectProblems(schema: unknown, at: string): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  if (Array.isArray(schema)) return schema.flatMap((item, i) => dialectProblems(item, `${at}[${i}]`));
  const node = schema as Record<string, unknown>;
  const problems: string[] = [];
  if (Array.isArray(node.type)) problems.push(`${at}: type array ${JSON.stringify(node.type)}`);
  for (const key of ['properties', '$defs'] as const) {
    const children = node[key] as Record<string, unknown> | undefined;
    for (const [name, child] of Object.entries(children ?? {})) {
      const keys = Object.keys(child as object).filter((k) => k !== 'description' && k !== 'title');
      if (keys.length === 0) problems.push(`${at}.${key}.${name}: empty schema`);
      problems.push(...dialectProblems(child, `${at}.${key}.${name}`));
    }
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties'] as const) if (node[key] !== undefined) problems.push(...dialectProblems(node[key], `${at}.${key}`));
  return problems;
}

describe('tools/list', () => {
  for (const protocol of MCP_PROTOCOLS) {
    verifies('mcp-tools-list-budget', `${protocol}: the whole response is at most ${BUDGET} characters; no type arrays, no empty schemas; inputs strict; descriptions still teach`, async () => {
      const box = await sandbox();
      const { client } = await spawnMcp(box, { protocol });
      const listed = await client.listTools();
      const size = JSON.stringify(listed).length;
      expect(size, `tools/list is ${size} characters`).toBeLessThanOrEqual(BUDGET);
      const problems = listed.tools.flatMap((tool) => [...dialectProblems(tool.inputSchema, `${tool.name}.inputSchema`), ...dialectProblems(tool.outputSchema, `${tool.name}.outputSchema`)]);
      expect(problems).toEqual([]);
      for (const tool of listed.tools) {
        expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
        expect(Object.keys(tool.outputSchema?.properties ?? {}).length, tool.name).toBeGreaterThan(1);
        expect(tool.description, tool.name).toMatch(/^[^.]{20,}\..* Use when [^.]{15,}\..* Does not [^.]{10,}/);
      }
    });
  }

  verifies('mcp-tools-list-budget', 'the dialect check finds type arrays and empty schemas', () => {
    expect(dialectProblems({ type: 'object', properties: { a: { type: ['string', 'null'] }, b: {}, c: { description: 'x' }, d: { type: 'array', items: { type: 'object', properties: { e: {} } } } } }, 't')).toEqual([
      't.properties.a: type array ["string","null"]',
      't.properties.b: empty schema',
      't.properties.c: empty schema',
      't.properties.d.items.properties.e: empty schema',
    ]);
  });
});
