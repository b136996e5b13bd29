import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const MANIFEST = 'oclif.manifest.json';

/** The built command files under `commandsDir`, each with the id oclif derives from it (`realm/init.js` → `realm:init`), by id. */
export function builtCommands(commandsDir: string): Array<{ id: string; file: string }> {
  return readdirSync(commandsDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => relative(commandsDir, join(e.parentPath, e.name)).split(sep).join('/'))
    .map((file) => ({ id: file.replace(/\.js$/, '').replace(/(^|\/)index$/, '').split('/').join(':'), file }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The command ids oclif derives from the built files under `commandsDir`, sorted. */
export function builtCommandIds(commandsDir: string): string[] {
  return builtCommands(commandsDir).map((c) => c.id);
}

/**
 * Start-up reads oclif.manifest.json instead of importing every command, so a manifest older than
 * the build would hide new commands. `pnpm build` and `prepack` always write it; this covers the
 * rest in a checkout (a `src/` folder beside `dist/`; a packed package has none), e.g. `tsc -b`
 * alone: when the manifest does not list exactly the built commands, it is removed (oclif then
 * finds the commands in dist/commands) and a note says so. Returns whether it removed one.
 */
export function dropStaleManifest(root: string): boolean {
  if (!existsSync(join(root, 'src'))) return false;
  let listed: string[];
  try {
    listed = Object.keys((JSON.parse(readFileSync(join(root, MANIFEST), 'utf8')) as { commands: Record<string, unknown> }).commands).sort();
  } catch {
    return false;
  }
  const built = builtCommandIds(join(root, 'dist', 'commands'));
  if (listed.length === built.length && listed.every((id, i) => id === built[i])) return false;
  rmSync(join(root, MANIFEST), { force: true });
  process.stderr.write(`blue: removed ${MANIFEST}, which did not list the built commands; \`pnpm build\` writes a fresh one.\n`);
  return true;
}
