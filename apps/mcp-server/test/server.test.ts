import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLUE_MCP_BIN, sandbox, spawnMcp, verifies, type Sandbox } from '@blue/testkit';

function textOf(result: object): string {
  const content = (result as { content: unknown }).content as Array<{ type: string; text?: string }>;
  return content.map((c) => c.text ?? '').join('\n');
}

describe('blue-mcp', () => {
  verifies('mcp-tool-contract', 'lists blue_realm_init with input/output schemas and annotations', async () => {
    const box = await sandbox();
    const { client } = await spawnMcp(box);
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'blue_realm_init');
    expect(tool).toBeDefined();
    expect(tool?.description).toMatch(/Does not join/);
    expect(tool?.inputSchema.additionalProperties).toBe(false);
    expect(tool?.inputSchema.required).toEqual(['name']);
    expect(Object.keys(tool?.inputSchema.properties ?? {}).sort()).toEqual(['cwd', 'name', 'path']);
    expect(Object.keys(tool?.outputSchema?.properties ?? {})).toEqual(['realm', 'governance', 'files', 'commit', 'next_steps']);
    expect(tool?.title).toBe('Create a realm');
    // Only the hints that differ from the specification's defaults (destructive, open world).
    expect(tool?.annotations).toEqual({ destructiveHint: false, openWorldHint: false });
    expect(client.getServerVersion()).toMatchObject({ name: 'blue-mcp' });
    expect(client.getInstructions()).toContain('realm');
  });

  verifies(['realm-init-structure', 'mcp-tool-contract'], 'blue_realm_init creates the realm and returns structuredContent plus the same JSON as text', async () => {
    const box = await sandbox();
    const { client } = await spawnMcp(box);
    const result = await client.callTool({ name: 'blue_realm_init', arguments: { name: 'letemcook', path: 'realm-letemcook' } });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { realm: { path: string; name: string } };
    expect(structured.realm).toMatchObject({ name: 'letemcook', path: join(box.root, 'realm-letemcook') });
    expect(JSON.parse(textOf(result))).toEqual(structured);
    expect(await readdir(join(box.root, 'realm-letemcook'))).toContain('realm.yaml');
  });

  verifies('mcp-tool-contract', 'a relative cwd argument is resolved against the server folder', async () => {
    const box = await sandbox();
    await mkdir(join(box.root, 'sub'));
    const { client } = await spawnMcp(box);
    const result = await client.callTool({ name: 'blue_realm_init', arguments: { name: 'x', cwd: 'sub', path: 'realm' } });
    expect((result.structuredContent as { realm: { path: string } }).realm.path).toBe(join(box.root, 'sub', 'realm'));
  });

  verifies(['mcp-error-result', 'init-refuses-existing-realm', 'init-refuses-invalid-name'], 'errors are isError with CODE: message and Hint:, no structuredContent', async () => {
    const box = await sandbox();
    const { client } = await spawnMcp(box);
    const invalid = await client.callTool({ name: 'blue_realm_init', arguments: { name: 'Not Valid' } });
    expect(invalid.isError).toBe(true);
    expect(invalid.structuredContent).toBeUndefined();
    expect(textOf(invalid)).toBe(
      'NAME_INVALID: Invalid realm name "Not Valid": it is not kebab-case (lowercase a-z, 0-9, single hyphens between words).\nHint: Use a kebab-case name of at most 64 characters, for example "not-valid".',
    );
    await client.callTool({ name: 'blue_realm_init', arguments: { name: 'letemcook', path: 'r' } });
    const again = await client.callTool({ name: 'blue_realm_init', arguments: { name: 'letemcook', path: 'r' } });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/^REALM_EXISTS: A realm named "letemcook" already exists at .*\nHint: /);
  });

  verifies('mcp-error-result', 'arguments of the wrong type are refused by the schema, and the server keeps serving', async () => {
    const box = await sandbox();
    const { client } = await spawnMcp(box);
    const bad = await client.callTool({ name: 'blue_realm_init', arguments: { name: 42 } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/name/);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });
});

describe('blue-mcp process', () => {
  verifies('mcp-clean-exit', 'exits 0 on stdin EOF, writing nothing to stdout', async () => {
    const box = await sandbox();
    const { code, stdout } = await runServer(box, (child) => child.stdin.end());
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });

  verifies('mcp-clean-exit', 'exits 0 on SIGTERM', async () => {
    const box = await sandbox();
    // Signal a server that is up: once it has answered initialize, its handlers are installed.
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    const { code, signal } = await runServer(box, (child) => {
      child.stdout.once('data', () => child.kill('SIGTERM'));
      child.stdin.write(`${JSON.stringify(init)}\n`);
    });
    expect(signal).toBeNull();
    expect(code).toBe(0);
  });

  verifies('mcp-clean-exit', 'every stdout line during a session is a JSON-RPC message', async () => {
    const box = await sandbox();
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'blue_realm_init', arguments: { name: 'letemcook', path: 'r' } } };
    const { stdout, code } = await runServer(box, (child) => {
      child.stdin.write(`${JSON.stringify(init)}\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n${JSON.stringify(call)}\n`);
      let seen = '';
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('"id":2')) child.stdin.end();
      });
    });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  });

  verifies('mcp-jsonrpc-errors', 'a malformed line gets -32700, a non-JSON-RPC object -32600, a tools/call without usable params -32602, each in one sentence; the session goes on', async () => {
    const box = await sandbox();
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    const lines = [
      JSON.stringify(init),
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      '{"jsonrpc": "2.0", "id": 2, "method": "tools/list"',
      JSON.stringify({ id: 3, method: 'tools/list' }),
      JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call' }),
      JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'blue_status', arguments: 'cwd=.' } }),
      JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'no/such/method' }),
      JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' }),
    ];
    const { stdout } = await runServer(box, (child) => {
      child.stdin.write(`${lines.join('\n')}\n`);
      let seen = '';
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('"id":7')) child.stdin.end();
      });
    });
    const replies = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: unknown; error?: { code: number; message: string } });
    const errorOf = (id: unknown) => replies.find((r) => r.id === id)?.error;
    expect(errorOf(null)).toMatchObject({ code: -32700, message: expect.stringMatching(/^Parse error: /) as unknown });
    expect(errorOf(3)).toMatchObject({ code: -32600 });
    expect(errorOf(4)).toEqual({ code: -32602, message: 'Invalid params: tools/call needs params, expected {"name": "<tool>", "arguments": {...}}.' });
    expect(errorOf(5)).toMatchObject({ code: -32602, message: expect.stringContaining('the arguments of blue_status must be a JSON object') as unknown });
    expect(errorOf(6)).toMatchObject({ code: -32601 });
    expect(replies.find((r) => r.id === 7)).toMatchObject({ result: {} });
  });

  verifies('mcp-agent-ergonomics', '--help explains how to register it and exits 0 without serving', async () => {
    const box = await sandbox();
    // stdin stays open: a server that started would run until the 10 s kill instead of exiting 0.
    const { stdout, code } = await runServer(box, () => undefined, ['--help']);
    expect(code).toBe(0);
    for (const client of ['claude-code', 'claude-desktop', 'cursor', 'vscode']) expect(stdout).toContain(`blue mcp install --client ${client}`);
    expect(stdout).toContain(`claude mcp add blue -- ${process.execPath} ${BLUE_MCP_BIN}`);
    const snippet = /\n(\{\n[\s\S]*?\n\})\n/.exec(stdout)?.[1] ?? '';
    expect(JSON.parse(snippet)).toEqual({ mcpServers: { blue: { command: process.execPath, args: [BLUE_MCP_BIN] } } });
  });

  it('--version prints the version and exits 0 without serving', async () => {
    const box = await sandbox();
    const { stdout, code } = await runServer(box, () => undefined, ['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

function runServer(
  box: Sandbox,
  drive: (child: ChildProcessWithoutNullStreams) => void,
  args: string[] = [],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BLUE_MCP_BIN, ...args], { cwd: box.root, env: box.env, stdio: 'pipe' });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout });
    });
    drive(child);
  });
}
