import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ipc from '@blue/ipc';

/** Every module the built entry loads statically (import/export ... from), followed transitively. */
function staticImports(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files], packages: [...packages].sort() };
}

describe('@blue/ipc entry', () => {
  it('loads only @blue/core and node built-ins', () => {
    const entry = createRequire(import.meta.url).resolve('@blue/ipc');
    const { files, packages } = staticImports(entry);
    expect(files.length).toBeGreaterThan(5);
    const builtins = new Set(builtinModules.map((m) => `node:${m}`));
    expect(packages.filter((p) => p !== '@blue/core' && !builtins.has(p))).toEqual([]);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bconsole\./);
  });

  it('has named exports only', () => {
    expect(Object.keys(ipc)).not.toContain('default');
    expect(Object.keys(ipc)).toEqual(expect.arrayContaining(['startSessionServer', 'sendMessage', 'registerSession', 'listSessions', 'broadcastExportChanged', 'appendNotice', 'readNotices', 'clearNotices']));
  });
});
