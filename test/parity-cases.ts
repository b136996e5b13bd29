import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sandbox } from '@blue/testkit';

/**
 * One input given to both faces: the CLI's argv and the MCP tool's arguments. Each face runs
 * in its own fresh folder prepared by `setup`, so results differ only in those folders.
 */
export interface ParityCase {
  /** The CLI command id, e.g. "realm init". */
  command: string;
  title: string;
  setup(box: Sandbox, face: 'cli' | 'mcp'): Promise<string>;
  cli: string[];
  tool: Record<string, unknown>;
}

async function emptyFolder(box: Sandbox, face: string): Promise<string> {
  const dir = join(box.root, face);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Every CLI command with a tool needs at least one case here; the parity test fails otherwise. */
export const PARITY_CASES: readonly ParityCase[] = [
  {
    command: 'realm init',
    title: 'creates a realm',
    setup: emptyFolder,
    cli: ['realm', 'init', '--name', 'letemcook', '--path', 'realm-letemcook'],
    tool: { name: 'letemcook', path: 'realm-letemcook' },
  },
  {
    command: 'realm init',
    title: 'refuses an invalid name',
    setup: emptyFolder,
    cli: ['realm', 'init', '--name', 'Letemcook'],
    tool: { name: 'Letemcook' },
  },
];

/** CLI commands that deliberately have no MCP tool (DESIGN.md's table). */
export const CLI_ONLY: readonly string[] = ['mcp install'];
