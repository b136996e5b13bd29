import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from '@oclif/core';
import { bundleIsCurrent } from './fast/bundle-current.js';
import { builtCommands } from './stale-manifest.js';

/**
 * Where oclif finds blue's commands (package.json: `oclif.commands`, strategy `explicit`): the
 * build bundles every command with what it imports into one file (scripts/bundle-fast.mjs), so a
 * command starts by loading that file instead of ~400 modules one by one (`blue realm init` took
 * 0.45 s, of which 0.25 s loading @blue/realm's modules). In a checkout whose bundle is not
 * current (say, after `tsc -b` alone), the built command files under dist/commands are imported
 * instead, exactly those oclif's own file discovery would find.
 */
const dist = dirname(fileURLToPath(import.meta.url));
const bundle = join(dist, 'fast', 'bundle');

/** The command classes of the built files under `<distDir>/commands`, by id (what oclif's own file discovery finds). */
export async function commandsFromFiles(distDir: string): Promise<Record<string, Command.Class>> {
  const commands = builtCommands(join(distDir, 'commands'));
  const classes = await Promise.all(commands.map(async (c) => ((await import(pathToFileURL(join(distDir, 'commands', c.file)).href)) as { default: Command.Class }).default));
  return Object.fromEntries(commands.map((c, i) => [c.id, classes[i] as Command.Class]));
}

/** The command classes of the bundle in `bundleDir`, by id. */
export async function commandsFromBundle(bundleDir: string): Promise<Record<string, Command.Class>> {
  return ((await import(pathToFileURL(join(bundleDir, 'commands.js')).href)) as { COMMANDS: Record<string, Command.Class> }).COMMANDS;
}

export const COMMANDS: Record<string, Command.Class> = bundleIsCurrent(join(dist, '..'), bundle) ? await commandsFromBundle(bundle) : await commandsFromFiles(dist);
