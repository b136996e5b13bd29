import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { MCP_PROTOCOLS, sandbox, spawnMcp, verifies, type McpSession } from '@blue/testkit';

interface Property {
  type?: string;
  enum?: string[];
  items?: Property;
  anyOf?: Property[];
}
interface ListedTool {
  name: string;
  inputSchema: { properties?: Record<string, Property>; required?: string[] };
}

function textOf(result: object): string {
  return ((result as { content: Array<{ text?: string }> }).content).map((c) => c.text ?? '').join('\n');
}

/** A value of the argument's declared type; `wrong` gives one of another type. */
function valueFor(property: Property, wrong = false): unknown {
  if (property.anyOf) return wrong ? undefined : { any: 'json' };
  const type = property.type;
  if (!wrong) return type === 'boolean' ? true : type === 'array' ? ['x'] : property.enum ? property.enum[0] : 'x';
  return type === 'string' ? 42 : type === 'boolean' ? 'yes' : type === 'array' ? 'x' : 42;
}

/** The arguments a call needs to get past validation: every required one, of its type. */
function requiredArguments(tool: ListedTool, cwd: string): Record<string, unknown> {
  const args: Record<string, unknown> = { cwd };
  for (const name of tool.inputSchema.required ?? []) args[name] = valueFor(tool.inputSchema.properties?.[name] ?? {});
  return args;
}

/** A likely misspelling of an argument: camelCase for snake_case, else one letter doubled. */
function misspell(name: string): string {
  return name.includes('_') ? name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : `${name}${name.at(-1) ?? ''}`;
}

async function check(session: McpSession, folder: string): Promise<string[]> {
  const problems: string[] = [];
  const expectText = async (tool: string, args: Record<string, unknown>, pattern: RegExp): Promise<void> => {
    const result = await session.client.callTool({ name: tool, arguments: args });
    const text = textOf(result);
    if (result.isError !== true || !pattern.test(text)) problems.push(`${tool} ${JSON.stringify(args)}: expected ${String(pattern)}, got ${text.slice(0, 300)}`);
  };
  const { tools } = (await session.client.listTools()) as unknown as { tools: ListedTool[] };
  for (const tool of tools) {
    const names = Object.keys(tool.inputSchema.properties ?? {});
    const base = requiredArguments(tool, folder);
    const valid = new RegExp(`\\nHint: Valid arguments: ${names.join(', ')}\\.$`);
    for (const name of names) {
      const typo = misspell(name);
      await expectText(tool.name, { ...base, [typo]: valueFor(tool.inputSchema.properties?.[name] ?? {}) }, new RegExp(`^ARGUMENT_UNKNOWN: ${tool.name} has no argument "${typo}"; did you mean "${name}"\\?${valid.source}`));
      const property = tool.inputSchema.properties?.[name] ?? {};
      const wrong = valueFor(property, true);
      if (wrong !== undefined) await expectText(tool.name, { ...base, [name]: wrong }, new RegExp(`^ARGUMENT_INVALID: ${tool.name} argument "${name}" must be `));
    }
    await expectText(tool.name, { ...base, zzz_not_an_argument: 1 }, new RegExp(`^ARGUMENT_UNKNOWN: ${tool.name} has no argument "zzz_not_an_argument"\\.${valid.source}`));
    for (const name of tool.inputSchema.required ?? []) {
      const { [name]: _, ...without } = base;
      await expectText(tool.name, without, new RegExp(`^ARGUMENT_MISSING: ${tool.name} needs the argument "${name}" \\(`));
    }
  }
  return problems;
}

describe('strict tool arguments', () => {
  for (const protocol of MCP_PROTOCOLS) {
    verifies('mcp-strict-arguments', `${protocol}: every tool refuses unknown, missing and mistyped arguments with a Blue code naming the argument (cases generated from tools/list)`, async () => {
      const box = await sandbox();
      const folder = join(box.root, 'untouched');
      await mkdir(folder);
      const session = await spawnMcp(box, { protocol });
      expect(await check(session, folder)).toEqual([]);
    });
  }

  verifies('mcp-strict-arguments', 'the misspelling of the issue: blue_realm_sync {"dryRun": true} is refused, never run for real', async () => {
    const box = await sandbox();
    const { client } = await spawnMcp(box);
    const result = await client.callTool({ name: 'blue_realm_sync', arguments: { dryRun: true } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('ARGUMENT_UNKNOWN: blue_realm_sync has no argument "dryRun"; did you mean "dry_run"?\nHint: Valid arguments: dry_run, notify, allow_dirty, cwd.');
  });
});
