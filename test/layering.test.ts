import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { verifies, WORKSPACE_ROOT } from '@blue/testkit';

/** Which of our packages each package may depend on: apps -> realm -> {core, git, github, ipc} -> core. */
const ALLOWED: Record<string, readonly string[]> = {
  '@blue/core': [],
  '@blue/git': ['@blue/core'],
  '@blue/github': ['@blue/core'],
  '@blue/ipc': ['@blue/core'],
  '@blue/realm': ['@blue/core', '@blue/git', '@blue/github', '@blue/ipc'],
  '@blue/testkit': [],
  '@blue/cli': ['@blue/core', '@blue/realm'],
  '@blue/mcp-server': ['@blue/core', '@blue/realm'],
};

/**
 * Dependencies for a bin only: @blue/cli ships the `blue-mcp` bin too (apps/cli/bin/blue-mcp.js
 * starts @blue/mcp-server), so one install gives both; the CLI's sources never import the server.
 */
const BIN_ONLY: Record<string, readonly string[]> = { '@blue/cli': ['@blue/mcp-server'] };

const FOLDERS = ['packages/core', 'packages/git', 'packages/github', 'packages/ipc', 'packages/realm', 'packages/testkit', 'apps/cli', 'apps/mcp-server'];

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

async function sources(folder: string): Promise<Array<{ file: string; text: string }>> {
  const dir = join(WORKSPACE_ROOT, folder, 'src');
  const entries = await readdir(dir, { recursive: true });
  return Promise.all(entries.filter((e) => e.endsWith('.ts')).map(async (e) => ({ file: `${folder}/src/${e}`, text: await readFile(join(dir, e), 'utf8') })));
}

function imports(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

describe('layering', () => {
  verifies('layering-enforced', 'package.json dependencies point only downwards', async () => {
    for (const folder of FOLDERS) {
      const manifest = JSON.parse(await readFile(join(WORKSPACE_ROOT, folder, 'package.json'), 'utf8')) as Manifest;
      const ours = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@blue/'));
      const allowed = [...(ALLOWED[manifest.name] ?? []), ...(BIN_ONLY[manifest.name] ?? [])];
      expect(ours.filter((d) => !allowed.includes(d)), manifest.name).toEqual([]);
    }
  });

  verifies('layering-enforced', 'source imports point only downwards, and core stays free of processes and sockets', async () => {
    const problems: string[] = [];
    for (const folder of FOLDERS) {
      const manifest = JSON.parse(await readFile(join(WORKSPACE_ROOT, folder, 'package.json'), 'utf8')) as Manifest;
      for (const { file, text } of await sources(folder)) {
        for (const spec of imports(text)) {
          const pkg = spec.startsWith('@blue/') ? spec.split('/').slice(0, 2).join('/') : undefined;
          if (pkg && pkg !== manifest.name && !(ALLOWED[manifest.name] ?? []).includes(pkg)) problems.push(`${file} imports ${spec}`);
          if (/^\.\.\/\.\.\/(?:\.\.\/)?(core|git|github|ipc|realm|testkit|cli|mcp-server)\//.test(spec)) problems.push(`${file} imports a sibling by path: ${spec}`);
          if (manifest.name === '@blue/core' && /^(node:)?(child_process|net)$|^execa$|^@octokit\//.test(spec)) problems.push(`${file} (core) imports ${spec}`);
          if (folder.startsWith('packages/') && /^@oclif\//.test(spec)) problems.push(`${file} imports the CLI framework`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
