import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, WORKSPACE_ROOT } from '@blue/testkit';

const PACK_CHECK = join(WORKSPACE_ROOT, 'scripts/pack-check.mjs');

interface PackResult {
  name: string;
  version: string;
  files: number;
  problems: string[];
}

function packCheck(args: readonly string[]): Promise<{ code: number | null; results: PackResult[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PACK_CHECK, '--json', ...args], { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, results: JSON.parse(stdout) as PackResult[], stderr });
      } catch {
        reject(new Error(`pack-check printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

async function workspacePackages(): Promise<Array<{ dir: string; pkg: Record<string, unknown> & { name: string; version: string } }>> {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const name of await readdir(join(WORKSPACE_ROOT, group))) {
      const dir = join(WORKSPACE_ROOT, group, name);
      found.push({ dir, pkg: JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown> & { name: string; version: string } });
    }
  }
  return found;
}

async function changesetConfig(): Promise<{ fixed: string[][]; ignore: string[] }> {
  return JSON.parse(await readFile(join(WORKSPACE_ROOT, '.changeset/config.json'), 'utf8')) as { fixed: string[][]; ignore: string[] };
}

describe('packed packages', () => {
  it('every published package packs with exports, files, bins, no workspace: range, and passes publint --strict', async () => {
    const { code, results, stderr } = await packCheck([]);
    const [group] = (await changesetConfig()).fixed;
    expect(results.map((r) => r.name).sort()).toEqual([...(group ?? [])].sort());
    for (const result of results) expect(result.problems, result.name).toEqual([]);
    expect(code, stderr).toBe(0);
  }, 120_000);

  it('the check fails on what it must catch (a workspace: range, a missing bin or manifest, a stray test, publint errors)', async () => {
    const pkgDir = join(await tempDir(), 'package');
    await mkdir(join(pkgDir, 'dist'), { recursive: true });
    await mkdir(join(pkgDir, 'test'));
    await writeFile(join(pkgDir, 'dist/index.js'), 'export const x = 1;\n');
    await writeFile(join(pkgDir, 'test/x.test.js'), '\n');
    await writeFile(join(pkgDir, 'bin.js'), 'console.log(1);\n');
    await chmod(join(pkgDir, 'bin.js'), 0o644);
    const pkg = { name: '@blue/broken', version: '0.1.0', type: 'module', oclif: { commands: './dist/commands' }, exports: { '.': './dist/missing.js' }, bin: { broken: './bin.js', gone: './bin/gone.js' }, dependencies: { '@blue/core': 'workspace:^' } };
    await writeFile(join(pkgDir, 'package.json'), JSON.stringify(pkg));
    const { code, results } = await packCheck(['--unpacked', pkgDir]);
    expect(code).toBe(1);
    const problems = results[0]?.problems.join('\n') ?? '';
    expect(problems).toContain('dependencies.@blue/core is still "workspace:^"');
    expect(problems).toContain('no "files" list');
    expect(problems).toContain('README.md is not in the tarball');
    expect(problems).toContain('bin gone -> ./bin/gone.js is not in the tarball');
    expect(problems).toContain('bin broken -> ./bin.js has no "#!/usr/bin/env node" line');
    expect(problems).toContain('ships files it should not: test/x.test.js');
    expect(problems).toContain('publint error FILE_DOES_NOT_EXIST');
    expect(problems).toContain('oclif.manifest.json is not in the tarball');
  }, 30_000);
});

describe('publishing guard and release config', () => {
  it('no package can be published by accident: every one is private until the scope is ours', async () => {
    for (const { pkg } of await workspacePackages()) expect(pkg.private, `${pkg.name} must stay "private": true (root README, "Publishing")`).toBe(true);
  });

  it('the changeset fixed group holds every workspace package but the test kit, all at one version, each with a CHANGELOG', async () => {
    const config = await changesetConfig();
    const packages = await workspacePackages();
    expect(config.fixed).toHaveLength(1);
    expect([...(config.fixed[0] ?? [])].sort()).toEqual(packages.map((p) => p.pkg.name).filter((n) => n !== '@blue/testkit').sort());
    expect(config.ignore).toEqual(['@blue/testkit']);
    const published = packages.filter((p) => p.pkg.name !== '@blue/testkit');
    expect(new Set(published.map((p) => p.pkg.version)).size).toBe(1);
    for (const { dir, pkg } of published) {
      const changelog = await readFile(join(dir, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${pkg.name}\n`), `${pkg.name} CHANGELOG.md heading`).toBe(true);
      expect(changelog).toContain(`## ${pkg.version}`);
    }
  });
});
