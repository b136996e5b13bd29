import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect } from 'vitest';
import { runBlue, sandbox, spawnMcp, verifies, WORKSPACE_ROOT } from '@blue/testkit';
import { CLI_ONLY, PARITY_CASES } from './parity-cases.js';

async function cliCommands(): Promise<string[]> {
  const root = join(WORKSPACE_ROOT, 'apps/cli/dist/commands');
  const files = await readdir(root, { recursive: true });
  return files
    .filter((f) => f.endsWith('.js'))
    .map((f) => relative('.', f).replace(/\.js$/, '').replace(/\/index$/, '').split('/').join(' '))
    .sort();
}

function toolName(command: string): string {
  return `blue_${command.replace(/[ -]/g, '_')}`;
}

/** Replaces what legitimately differs between two runs: their folders, SHAs and timestamps. */
function normalise(value: unknown, folder: string): unknown {
  const text = JSON.stringify(value)
    .split(folder)
    .join('<folder>')
    .replace(/\b[0-9a-f]{40}\b/g, '<sha>')
    // Runtime folders are keyed by a hash of the realm's identity, which differs per face.
    .replace(/\b[0-9a-f]{12}\b/g, '<hash>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '<time>');
  return JSON.parse(text) as unknown;
}

type Speak = (text: string, hasTool: (command: string) => boolean) => string;

/**
 * The CLI's result as the MCP face says it: both faces render one message, in their own
 * language (commands and flags vs tool calls and arguments), so the CLI's next steps and error
 * texts are rendered with the MCP face's renderer before the two results are compared.
 */
async function inMcpLanguage(cli: Record<string, unknown>, tools: readonly string[]): Promise<Record<string, unknown>> {
  const core = (await import(pathToFileURL(join(WORKSPACE_ROOT, 'packages/core/dist/index.js')).href)) as { speakMcp: Speak; toolNameOf: (command: string) => string };
  const speak = (text: string): string => core.speakMcp(text, (command) => tools.includes(core.toolNameOf(command)));
  const error = cli.error as { message: string; hint?: string } | undefined;
  if (error) return { ...cli, error: { ...error, message: speak(error.message), ...(error.hint === undefined ? {} : { hint: speak(error.hint) }) } };
  return Array.isArray(cli.next_steps) ? { ...cli, next_steps: (cli.next_steps as string[]).map(speak) } : cli;
}

describe('CLI and MCP parity', () => {
  verifies('cli-mcp-parity', 'every CLI command has a blue_* tool and every tool a command', async () => {
    const commands = (await cliCommands()).filter((c) => !CLI_ONLY.includes(c));
    const box = await sandbox();
    const { client } = await spawnMcp(box);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(commands.map(toolName).sort());
    for (const command of commands) expect(PARITY_CASES.map((c) => c.command), `a parity case for "${command}"`).toContain(command);
  });

  for (const parity of PARITY_CASES) {
    verifies('cli-mcp-parity', `${parity.command}: ${parity.title} — same result from both faces`, async () => {
      const box = await sandbox();
      const [cliFolder, mcpFolder] = parity.readOnly ? ['both', 'both'] : ['cli', 'mcp'];
      const cliDir = await parity.setup(box, cliFolder);
      const mcpDir = parity.readOnly ? cliDir : await parity.setup(box, mcpFolder);
      const cli = await runBlue(box, [...parity.cli, '--json'], { cwd: cliDir });
      const { client } = await spawnMcp(box, { cwd: mcpDir });
      const mcp = await client.callTool({ name: toolName(parity.command), arguments: parity.tool });
      const tools = (await client.listTools()).tools.map((t) => t.name);
      const cliJson = await inMcpLanguage(cli.json<Record<string, unknown>>(), tools);
      if (mcp.isError) {
        const error = cliJson.error as { code: string; message: string; hint?: string };
        expect(cli.exitCode).toBeGreaterThan(1);
        const text = (mcp.content as Array<{ text: string }>)[0]?.text ?? '';
        const expected = `${error.code}: ${error.message}${error.hint ? `\nHint: ${error.hint}` : ''}`;
        expect(normalise(text, join(box.root, mcpFolder))).toEqual(normalise(expected, join(box.root, cliFolder)));
      } else {
        expect(cli.exitCode).toBe(0);
        expect(normalise(mcp.structuredContent, join(box.root, mcpFolder))).toEqual(normalise(cliJson, join(box.root, cliFolder)));
      }
    });
  }
});
