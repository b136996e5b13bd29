import { spawn } from 'node:child_process';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sandbox, spawnMcp, tempDir, WORKSPACE_ROOT, type Sandbox } from '@blue/testkit';

// A global install as a user makes it from a checkout (root README, "Install"): pnpm deploy makes
// a self-contained folder of @blue/cli with its production dependencies (the workspace packages
// copied in), then `npm i -g` installs that folder. Both run offline against a registry address
// that answers nothing, so neither can fetch a package.
const NO_REGISTRY = 'http://127.0.0.1:9/';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** pnpm: the one on PATH when the tests run through pnpm, else the pinned one through npx. */
async function pnpm(args: readonly string[], env: Record<string, string | undefined>): Promise<Run> {
  const onPath = await run('pnpm', ['--version'], { cwd: WORKSPACE_ROOT, env }).catch(() => undefined);
  return onPath?.code === 0 ? run('pnpm', args, { cwd: WORKSPACE_ROOT, env }) : run('npx', ['--yes', 'pnpm@10.34.8', ...args], { cwd: WORKSPACE_ROOT, env });
}

/** Every symlink under `dir` that points outside it (a self-contained folder has none). */
async function linksLeaving(dir: string): Promise<string[]> {
  const leaving: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if (!(await lstat(path)).isSymbolicLink()) continue;
    const target = resolve(dirname(path), await readlink(path));
    if (relative(dir, target).startsWith('..')) leaving.push(`${entry} -> ${target}`);
  }
  return leaving;
}

async function installGlobally(box: Sandbox): Promise<{ bin: string; env: Record<string, string> }> {
  const deployDir = join(box.root, 'blue-cli');
  const prefix = join(box.root, 'prefix');
  const env = { ...box.env, npm_config_registry: NO_REGISTRY, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
  const deploy = await pnpm(['--config.inject-workspace-packages=true', '--config.ignore-scripts=true', '--filter', '@blue/cli', 'deploy', '--prod', '--offline', deployDir], env);
  expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
  expect(await linksLeaving(deployDir)).toEqual([]);
  const install = await run('npm', ['install', '--global', '--offline', '--prefix', prefix, deployDir], { cwd: box.root, env });
  expect(install.code, install.stdout + install.stderr).toBe(0);
  const bin = join(prefix, 'bin');
  // Only the installed bins and node itself on PATH: nothing of the checkout.
  return { bin, env: { ...box.env, PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':') } };
}

describe('global install from a checkout', () => {
  it('pnpm deploy + npm i -g gives working blue and blue-mcp binaries, offline', async () => {
    const box = await sandbox();
    const { bin, env } = await installGlobally(box);
    expect((await readdir(bin)).sort()).toEqual(['blue', 'blue-mcp']);
    const installed = await realpath(join(bin, 'blue'));
    expect(relative(WORKSPACE_ROOT, installed).startsWith('..'), `${installed} is outside the checkout`).toBe(true);
    expect(((await stat(join(bin, 'blue-mcp'))).mode & 0o111) !== 0).toBe(true);

    const { version } = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'apps/cli/package.json'), 'utf8')) as { version: string };
    const versionRun = await run('blue', ['--version'], { cwd: box.root, env });
    expect(versionRun.stderr).toBe('');
    expect(versionRun.stdout).toBe(`@blue/cli/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
    const mcpVersion = await run('blue-mcp', ['--version'], { cwd: box.root, env });
    expect(mcpVersion.stdout).toBe(`${version}\n`);

    const work = await tempDir('blue-install-');
    const init = await run('blue', ['realm', 'init', '--name', 'letemcook', '--json'], { cwd: work, env });
    expect(init.code, init.stderr).toBe(0);
    const result = JSON.parse(init.stdout) as { realm: { name: string; path: string } };
    expect(result.realm.name).toBe('letemcook');
    const realmYaml = await readFile(join(result.realm.path, 'realm.yaml'), 'utf8');
    expect(realmYaml).toContain('\nname: letemcook\n');
    expect(realmYaml.split('\n')[0]).toBe(`# yaml-language-server: $schema=https://cdn.jsdelivr.net/npm/@blue/core@${version.split('.')[0] === '0' ? `0.${version.split('.')[1]}` : version.split('.')[0]}/schemas/realm.schema.json`);

    // blue mcp install, from the installed copy, registers the blue-mcp linked beside it (by its
    // bare name, since that bin folder is on PATH; a copy found elsewhere would be `node <script>`).
    const print = await run('blue', ['mcp', 'install', '--client', 'claude-code', '--print', '--json'], { cwd: work, env });
    expect(print.code, print.stderr).toBe(0);
    expect((JSON.parse(print.stdout) as { launcher: { command: string; args: string[] } }).launcher).toEqual({ command: 'blue-mcp', args: [] });

    // blue-mcp from the installed copy answers tools/list with the same tools as the checkout's.
    const transport = new StdioClientTransport({ command: join(bin, 'blue-mcp'), args: [], cwd: work, env, stderr: 'pipe' });
    const client = new Client({ name: 'install-test', version: '0.0.0' });
    await client.connect(transport);
    onTestFinished(() => client.close());
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    const { client: checkout } = await spawnMcp(box);
    expect(tools).toEqual((await checkout.listTools()).tools.map((t) => t.name).sort());
    expect(tools).toContain('blue_realm_init');
  }, 120_000);
});
