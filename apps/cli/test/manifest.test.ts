import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@blue/testkit';

const CLI = join(WORKSPACE_ROOT, 'apps/cli');

async function commandFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? commandFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.js') ? [join(dir, e.name)] : []))));
  return nested.flat();
}

describe('the oclif manifest', () => {
  // The build writes oclif.manifest.json (start-up reads it instead of importing every command);
  // a stale one would hide commands, so it must list exactly the built commands.
  it('lists exactly the commands that are built, with their flags', async () => {
    const manifest = JSON.parse(await readFile(join(CLI, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> };
    const built = (await commandFiles(join(CLI, 'dist/commands'))).map((f) => relative(join(CLI, 'dist/commands'), f).replace(/\.js$/, '').replace(/\/index$/, '').split('/').join(':'));
    expect(Object.keys(manifest.commands).sort()).toEqual(built.sort());
    for (const [id, command] of Object.entries(manifest.commands)) expect(Object.keys(command.flags), id).toEqual(expect.arrayContaining(['json', 'cwd']));
  });
});
