import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

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

describe('@blue/github entry', () => {
  it('loads Octokit only when a client is created (no static import of @octokit)', () => {
    const entry = createRequire(import.meta.url).resolve('@blue/github');
    const { files, packages } = staticImports(entry);
    expect(files.length).toBeGreaterThan(5);
    expect(packages).toEqual(['@blue/core', 'node:child_process']);
    const client = readFileSync(resolve(dirname(entry), 'client.js'), 'utf8');
    expect(client).toContain("await import('@octokit/rest')");
  });
});
