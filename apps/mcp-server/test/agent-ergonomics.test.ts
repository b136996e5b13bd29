import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, onTestFinished } from 'vitest';
import { gitRepo, runBlue, sandbox, spawnMcp, verifies } from '@blue/testkit';

describe('blue-mcp for agents', () => {
  verifies('mcp-agent-ergonomics', 'at most 16 tools, each saying when to use it and what it will not do, each result with next_steps', async () => {
    const box = await sandbox();
    const { client } = await spawnMcp(box);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.length).toBeLessThanOrEqual(16);
    expect(client.getInstructions()).toContain('next_steps');
    for (const tool of tools) {
      expect(tool.description, tool.name).toMatch(/(^|\. )Use when [^.]{10,}/);
      expect(tool.description, tool.name).toMatch(/(^|\. )Does not [^.]{5,}/);
      const properties = (tool.outputSchema?.properties ?? {}) as Record<string, unknown>;
      expect(properties.next_steps, tool.name).toEqual({ type: 'array', items: { type: 'string' } });
    }
  });

  verifies('mcp-install-clients', 'the server `blue mcp install` registers starts, from the config file as written, and lists its tools', async () => {
    const box = await sandbox();
    const repo = await gitRepo(box, { 'README.md': '# app\n' }, { name: 'app' });
    const install = await runBlue(box, ['mcp', 'install', '--client', 'claude-code'], { cwd: repo, env: { HOME: join(box.root, 'user') } });
    expect(install.exitCode, install.stderr).toBe(0);
    const config = JSON.parse(await readFile(join(repo, '.mcp.json'), 'utf8')) as { mcpServers: { blue: { command: string; args: string[] } } };
    const { command, args } = config.mcpServers.blue;
    const client = new Client({ name: 'registration-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command, args, cwd: repo, env: box.env, stderr: 'pipe' }));
    onTestFinished(() => client.close());
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('blue_status');
    expect(client.getServerVersion()).toMatchObject({ name: 'blue-mcp' });
  });
});
