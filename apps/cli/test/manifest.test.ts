import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir, WORKSPACE_ROOT } from '@blue/testkit';
import type * as CommandsIndex from '../src/commands-index.js';
import { builtCommandIds, dropStaleManifest } from '../src/stale-manifest.js';

const CLI = join(WORKSPACE_ROOT, 'apps/cli');

async function fakeCli(manifestIds: readonly string[] | undefined, options: { src?: boolean } = {}): Promise<string> {
  const root = await tempDir();
  await mkdir(join(root, 'dist/commands/realm'), { recursive: true });
  if (options.src !== false) await mkdir(join(root, 'src'));
  for (const file of ['status.js', 'realm/init.js', 'realm/sync.js', 'realm/sync.d.ts']) await writeFile(join(root, 'dist/commands', file), '');
  if (manifestIds !== undefined) await writeFile(join(root, 'oclif.manifest.json'), JSON.stringify({ version: '0.1.0', commands: Object.fromEntries(manifestIds.map((id) => [id, {}])) }));
  return root;
}

describe('the oclif manifest', () => {
  // The build writes oclif.manifest.json (start-up reads it instead of importing every command);
  // a stale one would hide commands, so it must list exactly the built commands.
  it('lists exactly the commands that are built, with their flags', async () => {
    const manifest = JSON.parse(await readFile(join(CLI, 'oclif.manifest.json'), 'utf8')) as { version: string; commands: Record<string, { flags: Record<string, unknown> }> };
    const { version } = JSON.parse(await readFile(join(CLI, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(version);
    expect(Object.keys(manifest.commands).sort()).toEqual(builtCommandIds(join(CLI, 'dist/commands')));
    expect(builtCommandIds(join(CLI, 'dist/commands'))).toEqual(expect.arrayContaining(['status', 'realm:init', 'realm:sync']));
    for (const [id, command] of Object.entries(manifest.commands)) expect(Object.keys(command.flags), id).toEqual(expect.arrayContaining(['json', 'cwd']));
  });

  it('in a checkout, a manifest that does not list the built commands is removed at start-up; a current one is kept', async () => {
    const current = await fakeCli(['realm:init', 'realm:sync', 'status']);
    expect(dropStaleManifest(current)).toBe(false);
    expect(await readFile(join(current, 'oclif.manifest.json'), 'utf8')).toContain('realm:sync');

    const stale = await fakeCli(['realm:init', 'status']);
    expect(dropStaleManifest(stale)).toBe(true);
    await expect(readFile(join(stale, 'oclif.manifest.json'))).rejects.toMatchObject({ code: 'ENOENT' });

    const none = await fakeCli(undefined);
    expect(dropStaleManifest(none)).toBe(false);
  });

  it('an installed package (no src/) keeps its manifest untouched, whatever it lists', async () => {
    const installed = await fakeCli(['status'], { src: false });
    expect(dropStaleManifest(installed)).toBe(false);
    expect(await readFile(join(installed, 'oclif.manifest.json'), 'utf8')).toContain('status');
  });
});

describe('where oclif finds the commands (dist/commands-index.js)', () => {
  // The build bundles every command (scripts/bundle-fast.mjs); a checkout whose bundle is stale imports the built files.
  it('the bundle and the built files hold the same commands, by the ids oclif derives from the files', async () => {
    const index = (await import(pathToFileURL(join(CLI, 'dist/commands-index.js')).href)) as typeof CommandsIndex;
    const ids = builtCommandIds(join(CLI, 'dist/commands'));
    const [bundled, files] = await Promise.all([index.commandsFromBundle(join(CLI, 'dist/fast/bundle')), index.commandsFromFiles(join(CLI, 'dist'))]);
    expect(Object.keys(index.COMMANDS).sort()).toEqual(ids);
    for (const commands of [bundled, files]) {
      expect(Object.keys(commands).sort()).toEqual(ids);
      for (const id of ids) expect([commands[id]?.summary, Object.keys(commands[id]?.flags ?? {})], id).toEqual([files[id]?.summary, Object.keys(files[id]?.flags ?? {})]);
    }
    // A current bundle is what oclif gets (the bundle's classes are its own copies, not the files').
    expect(index.COMMANDS['realm:init']).toBe(bundled['realm:init']);
    expect(bundled['realm:init']).not.toBe(files['realm:init']);
  });
});
