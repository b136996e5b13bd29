import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, onTestFinished } from 'vitest';
import { z } from 'zod';
import { verifies } from '@blue/testkit';
import { registerBlueTool, type BlueToolConfig } from '../src/tool-def.js';
import { toolDeps } from '../src/tool-deps.js';

const about = { title: 't', description: 'd', inputSchema: {}, annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } };
function config<O extends z.ZodRawShape>(outputSchema: O): BlueToolConfig<Record<string, never>, O> {
  return { ...about, outputSchema };
}

interface Counted {
  count: number;
  label?: string;
}
const counted = (): Promise<Counted> => Promise.resolve({ count: 1 });
interface Listed {
  items: Array<{ id: number; note?: string }>;
}
const listed = (): Promise<Listed> => Promise.resolve({ items: [{ id: 1 }] });

describe('output schemas agree with the use case result types', () => {
  verifies('mcp-result-schema-agrees', 'a schema that disagrees with its result type does not compile; the server refuses a result its schema does not describe', async () => {
    const server = new McpServer({ name: 'agree', version: '0.0.0' });
    const deps = toolDeps({ cwd: process.cwd(), env: process.env, version: '0.0.0' });
    registerBlueTool(server, deps, 'agrees', config({ count: z.number(), label: z.string().optional() }), counted);
    // @ts-expect-error -- the schema says count is a string, the result type says number
    registerBlueTool(server, deps, 'wrong_type', config({ count: z.string(), label: z.string().optional() }), counted);
    // @ts-expect-error -- the result type has label, the schema does not
    registerBlueTool(server, deps, 'missing_field', config({ count: z.number() }), counted);
    registerBlueTool(server, deps, 'nested_agrees', config({ items: z.array(z.object({ id: z.number(), note: z.string().optional() })) }), listed);
    // @ts-expect-error -- one level in: the result's items have note, the schema's do not
    registerBlueTool(server, deps, 'nested_missing', config({ items: z.array(z.object({ id: z.number() })) }), listed);
    // @ts-expect-error -- the schema requires label, the result type makes it optional
    registerBlueTool(server, deps, 'required_vs_optional', config({ count: z.number(), label: z.string() }), counted);

    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'agree-test', version: '0.0.0' });
    await client.connect(clientSide);
    onTestFinished(() => client.close());
    expect((await client.callTool({ name: 'agrees', arguments: {} })).structuredContent).toEqual({ count: 1 });
    // At run time the server checks every result against the full schema before sending it.
    const refused = await client.callTool({ name: 'wrong_type', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('Output validation error');
  });
});
