import { lstat, mkdir, readdir, readFile, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext, installMcp, locateBlueMcp, type BlueInstallation } from '@blue/realm';
import { gitRepo, sandbox, verifies, WORKSPACE_ROOT, type Sandbox } from '@blue/testkit';

/** A global-install lookalike: <prefix>/bin/blue and <prefix>/bin/blue-mcp beside it. */
async function globalBin(box: Sandbox): Promise<BlueInstallation> {
  const bin = join(box.root, 'prefix', 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'blue'), '#!/bin/sh\n', { mode: 0o755 });
  await writeFile(join(bin, 'blue-mcp'), '#!/bin/sh\n', { mode: 0o755 });
  return { invokedAs: join(bin, 'blue'), cliRoot: join(box.root, 'prefix', 'lib', 'node_modules', '@blue', 'cli'), execPath: '/usr/bin/node' };
}

const checkout: BlueInstallation = { invokedAs: join(WORKSPACE_ROOT, 'apps/cli/bin/run.js'), cliRoot: join(WORKSPACE_ROOT, 'apps/cli'), execPath: process.execPath };

describe('locating blue-mcp', () => {
  it('prefers the blue-mcp beside the running blue, and knows when its folder is on PATH', async () => {
    const box = await sandbox();
    const install = await globalBin(box);
    const bin = join(box.root, 'prefix', 'bin');
    expect(await locateBlueMcp(install, { PATH: '/usr/bin' }, 'linux')).toEqual({ launcher: { command: join(bin, 'blue-mcp'), args: [] }, onPath: false });
    expect(await locateBlueMcp(install, { PATH: `/usr/bin:${bin}/` }, 'linux')).toMatchObject({ onPath: true });
  });

  it('in a checkout, runs apps/mcp-server/bin/blue-mcp.js with this node (through the CLI\'s dependency link)', async () => {
    // @blue/cli depends on @blue/mcp-server (it ships the blue-mcp bin), so the checkout's CLI finds
    // the server in its node_modules: pnpm's link to apps/mcp-server.
    const script = join(WORKSPACE_ROOT, 'apps/cli/node_modules/@blue/mcp-server/bin/blue-mcp.js');
    expect(await locateBlueMcp(checkout, {}, 'linux')).toEqual({ launcher: { command: process.execPath, args: [script] }, onPath: false });
    expect(await realpath(script)).toBe(join(WORKSPACE_ROOT, 'apps/mcp-server/bin/blue-mcp.js'));
  });

  it('else runs the blue-mcp script of an @blue/mcp-server in node_modules of the CLI or above it', async () => {
    const box = await sandbox();
    const cliRoot = join(box.root, 'lib', 'node_modules', '@blue', 'cli');
    const server = join(cliRoot, 'node_modules', '@blue', 'mcp-server');
    await mkdir(join(server, 'bin'), { recursive: true });
    await writeFile(join(server, 'package.json'), JSON.stringify({ name: '@blue/mcp-server', bin: { 'blue-mcp': './bin/blue-mcp.js' } }));
    await writeFile(join(server, 'bin', 'blue-mcp.js'), '');
    const install = { invokedAs: join(cliRoot, 'bin', 'run.js'), cliRoot, execPath: '/usr/bin/node' };
    // Windows never takes a bin-folder link (npm's .cmd shims cannot be spawned without a shell).
    expect((await locateBlueMcp(install, {}, 'win32')).launcher).toEqual({ command: '/usr/bin/node', args: [join(server, 'bin', 'blue-mcp.js')] });
  });

  it('says MCP_SERVER_NOT_FOUND when there is none', async () => {
    const box = await sandbox();
    const lonely = { invokedAs: join(box.root, 'blue'), cliRoot: join(box.root, 'cli'), execPath: '/usr/bin/node' };
    await expect(locateBlueMcp(lonely, {}, 'linux')).rejects.toMatchObject({ code: 'MCP_SERVER_NOT_FOUND', hint: expect.stringContaining('@blue/mcp-server') });
  });
});

describe('installMcp', () => {
  verifies('mcp-install-clients', 'a project file shared through git names blue-mcp bare when it is on PATH; user files get the absolute path', async () => {
    const box = await sandbox();
    const install = await globalBin(box);
    const bin = join(box.root, 'prefix', 'bin');
    const repo = await gitRepo(box, { 'README.md': '# app\n' }, { name: 'app' });
    const sub = join(repo, 'src');
    await mkdir(sub);
    const env = { ...box.env, HOME: join(box.root, 'user'), PATH: `${bin}:${box.env.PATH ?? ''}`, XDG_CONFIG_HOME: undefined };
    const ctx = createContext({ cwd: sub, env });
    const project = await installMcp(ctx, { client: 'cursor', installation: install, platform: 'linux' });
    expect(project).toMatchObject({ scope: 'project', file: join(repo, '.cursor', 'mcp.json'), status: 'created', launcher: { command: 'blue-mcp', args: [] } });
    const user = await installMcp(ctx, { client: 'cursor', scope: 'user', installation: install, platform: 'linux' });
    expect(user).toMatchObject({ file: join(box.root, 'user', '.cursor', 'mcp.json'), launcher: { command: join(bin, 'blue-mcp') } });
    const desktop = await installMcp(ctx, { client: 'claude-desktop', installation: install, platform: 'darwin' });
    expect(desktop).toMatchObject({ scope: 'user', file: join(box.root, 'user', 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'), launcher: { command: join(bin, 'blue-mcp') } });
    expect(JSON.parse(await readFile(desktop.file, 'utf8'))).toEqual({ mcpServers: { blue: { command: join(bin, 'blue-mcp'), args: [] } } });
  });

  verifies('mcp-install-merge', 'a folder where the file should be is refused, and --print reads nothing', async () => {
    const box = await sandbox();
    const dir = join(box.root, 'work');
    await mkdir(join(dir, '.mcp.json'), { recursive: true });
    const ctx = createContext({ cwd: dir, env: box.env });
    await expect(installMcp(ctx, { client: 'claude-code', installation: checkout })).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
    const printed = await installMcp(ctx, { client: 'claude-code', installation: checkout, print: true });
    expect(printed).toMatchObject({ status: 'printed', written: false, file: join(dir, '.mcp.json') });
    expect(await readdir(join(dir, '.mcp.json'))).toEqual([]);
  });

  verifies('mcp-install-merge', 'a private file stays private, and a symlinked one (dotfiles) is updated where it points', async () => {
    const box = await sandbox();
    const home = join(box.root, 'user');
    const dotfiles = join(box.root, 'dotfiles');
    await mkdir(join(home, '.cursor'), { recursive: true });
    await mkdir(dotfiles);
    await writeFile(join(home, '.claude.json'), JSON.stringify({ oauthAccount: { id: 'x' } }), { mode: 0o600 });
    await writeFile(join(dotfiles, 'cursor-mcp.json'), JSON.stringify({ mcpServers: {} }));
    await symlink(join(dotfiles, 'cursor-mcp.json'), join(home, '.cursor', 'mcp.json'));
    const ctx = createContext({ cwd: box.root, env: { ...box.env, HOME: home } });
    await installMcp(ctx, { client: 'claude-code', scope: 'user', installation: checkout });
    expect((await stat(join(home, '.claude.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(home, '.claude.json'), 'utf8'))).toMatchObject({ oauthAccount: { id: 'x' }, mcpServers: { blue: {} } });
    const cursor = await installMcp(ctx, { client: 'cursor', scope: 'user', installation: checkout });
    expect(cursor.status).toBe('added');
    expect((await lstat(join(home, '.cursor', 'mcp.json'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(join(dotfiles, 'cursor-mcp.json'), 'utf8'))).toMatchObject({ mcpServers: { blue: { command: process.execPath } } });
    expect(await readdir(dotfiles)).toEqual(['cursor-mcp.json']);
  });
});
