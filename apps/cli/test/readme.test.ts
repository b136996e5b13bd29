import { spawn } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, WORKSPACE_ROOT } from '@blue/testkit';

const CLI = join(WORKSPACE_ROOT, 'apps/cli');
const OCLIF = join(CLI, 'node_modules/oclif/bin/run.js');

function run(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OCLIF, ...args], { cwd: CLI, env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('apps/cli/README.md', () => {
  // The command reference is `oclif readme` output: regenerate it into a copy and compare, so a
  // changed flag, summary or example fails here until `pnpm --filter @blue/cli run readme` is run.
  it('its command reference is what `oclif readme` generates from the built commands', async () => {
    const copy = join(await tempDir(), 'README.md');
    await copyFile(join(CLI, 'README.md'), copy);
    const generated = await run(['readme', '--no-aliases', '--no-source-links', '--readme-path', copy]);
    expect(generated.code, generated.output).toBe(0);
    const committed = await readFile(join(CLI, 'README.md'), 'utf8');
    expect(committed).toContain('<!-- commands -->');
    expect(committed).toContain('## `blue realm init`');
    expect(await readFile(copy, 'utf8'), 'apps/cli/README.md is out of date: run `npx --yes pnpm@10.34.8 --filter @blue/cli run readme`').toBe(committed);
  }, 60_000);
});
