import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, runBlue, sandbox, verifies, WORKSPACE_ROOT, type Sandbox } from '@blue/testkit';

/**
 * How a checkout's blue starts its blue-mcp (no blue-mcp beside bin/run.js): the server is a
 * dependency of @blue/cli, found in its node_modules (pnpm's link to apps/mcp-server).
 */
const CHECKOUT_ENTRY = { command: process.execPath, args: [join(WORKSPACE_ROOT, 'apps/cli/node_modules/@blue/mcp-server/bin/blue-mcp.js')] };
const APP_CONFIG = process.platform === 'darwin' ? join('Library', 'Application Support') : '.config';

interface Setup {
  box: Sandbox;
  repo: string;
  home: string;
  /** Runs blue in the repo with HOME in the sandbox (never the real one). */
  blue(args: string[], cwd?: string): ReturnType<typeof runBlue>;
}

async function setup(): Promise<Setup> {
  const box = await sandbox();
  const repo = await gitRepo(box, { 'README.md': '# app\n' }, { name: 'app' });
  const home = join(box.root, 'user');
  await mkdir(home);
  const env = { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: undefined, APPDATA: undefined };
  return { box, repo, home, blue: (args, cwd) => runBlue(box, ['mcp', 'install', ...args], { cwd: cwd ?? repo, env }) };
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

describe('blue mcp install', () => {
  verifies('mcp-install-clients', 'writes each client\'s format where it reads it, with an absolute command', async () => {
    const s = await setup();
    const cases: Array<{ args: string[]; file: string; key: 'mcpServers' | 'servers'; type?: 'stdio' }> = [
      { args: ['--client', 'claude-code'], file: join(s.repo, '.mcp.json'), key: 'mcpServers' },
      { args: ['--client', 'claude-code', '--scope', 'user'], file: join(s.home, '.claude.json'), key: 'mcpServers' },
      { args: ['--client', 'claude-desktop'], file: join(s.home, APP_CONFIG, 'Claude', 'claude_desktop_config.json'), key: 'mcpServers' },
      { args: ['--client', 'cursor'], file: join(s.repo, '.cursor', 'mcp.json'), key: 'mcpServers' },
      { args: ['--client', 'cursor', '--scope', 'user'], file: join(s.home, '.cursor', 'mcp.json'), key: 'mcpServers' },
      { args: ['--client', 'vscode'], file: join(s.repo, '.vscode', 'mcp.json'), key: 'servers', type: 'stdio' },
      { args: ['--client', 'vscode', '--scope', 'user'], file: join(s.home, APP_CONFIG, 'Code', 'User', 'mcp.json'), key: 'servers', type: 'stdio' },
    ];
    for (const c of cases) {
      const run = await s.blue(c.args);
      expect(run.exitCode, `${c.args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toContain(`✓ Created ${c.file}`);
      const entry = c.type ? { type: c.type, ...CHECKOUT_ENTRY } : CHECKOUT_ENTRY;
      expect(await readJson(c.file), c.args.join(' ')).toEqual({ [c.key]: { blue: entry } });
    }
    expect((await s.blue(['--client', 'claude-desktop', '--scope', 'project', '--json'])).json()).toMatchObject({ error: { code: 'VALUE_INVALID' } });
  });

  verifies('mcp-install-clients', 'puts project files in the repository root, from a subfolder or --cwd', async () => {
    const s = await setup();
    const sub = join(s.repo, 'src', 'deep');
    await mkdir(sub, { recursive: true });
    expect((await s.blue(['--client', 'cursor'], sub)).exitCode).toBe(0);
    expect(await readdir(join(s.repo, '.cursor'))).toEqual(['mcp.json']);
    const run = await s.blue(['--client', 'vscode', '--cwd', sub, '--json'], s.box.root);
    expect(run.json()).toMatchObject({ file: join(s.repo, '.vscode', 'mcp.json'), status: 'created' });
  });

  verifies('mcp-install-merge', 'keeps other servers and unrelated keys of an existing file', async () => {
    const s = await setup();
    const claude = join(s.home, '.claude.json');
    const before = { numStartups: 12, projects: { '/x': { mcpServers: { local: { command: 'l' } } } }, mcpServers: { github: { command: 'gh-mcp', args: ['serve'], env: { T: '1' } } } };
    await writeFile(claude, JSON.stringify(before, null, 2));
    const run = await s.blue(['--client', 'claude-code', '--scope', 'user', '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.json()).toMatchObject({ status: 'added', written: true, file: claude, scope: 'user', client: 'claude-code' });
    expect(await readJson(claude)).toEqual({ ...before, mcpServers: { ...before.mcpServers, blue: CHECKOUT_ENTRY } });
  });

  verifies('mcp-install-merge', 'a second run reports unchanged and writes nothing', async () => {
    const s = await setup();
    const file = join(s.repo, '.vscode', 'mcp.json');
    await mkdir(join(s.repo, '.vscode'));
    await writeFile(file, JSON.stringify({ inputs: [], servers: { other: { type: 'stdio', command: 'x' } } }));
    expect((await s.blue(['--client', 'vscode', '--json'])).json()).toMatchObject({ status: 'added', written: true });
    const first = await stat(file);
    const text = await readFile(file, 'utf8');
    const again = await s.blue(['--client', 'vscode']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`✓ Already registered in ${file}`);
    expect((await s.blue(['--client', 'vscode', '--json'])).json()).toMatchObject({ status: 'unchanged', written: false });
    const second = await stat(file);
    expect([second.ino, second.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  verifies('mcp-install-merge', 'a malformed file is refused with CONFIG_INVALID naming it; nothing is written', async () => {
    const s = await setup();
    const file = join(s.repo, '.mcp.json');
    const broken = '{ "mcpServers": { "github": { "command": "gh" } ';
    await writeFile(file, broken);
    const human = await s.blue(['--client', 'claude-code']);
    expect(human.exitCode).toBe(3);
    expect(human.stderr).toContain(`Error: ${file}: not valid JSON`);
    expect(human.stderr).toContain('Hint: Fix');
    const json = await s.blue(['--client', 'claude-code', '--json']);
    expect(json.exitCode).toBe(3);
    expect(json.json()).toMatchObject({ error: { code: 'CONFIG_INVALID', file } });
    expect(await readFile(file, 'utf8')).toBe(broken);
    expect((await readdir(s.repo)).sort()).toEqual(['.git', '.mcp.json', 'README.md']);
  });

  verifies('mcp-install-merge', '--print shows the snippet alone on stdout and writes nothing; with --json the whole result', async () => {
    const s = await setup();
    const run = await s.blue(['--client', 'vscode', '--print']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ servers: { blue: { type: 'stdio', ...CHECKOUT_ENTRY } } });
    expect(run.stderr).toContain(join(s.repo, '.vscode', 'mcp.json'));
    const json = await s.blue(['--client', 'claude-desktop', '--print', '--json']);
    expect(json.json()).toMatchObject({ status: 'printed', written: false, scope: 'user', snippet: { mcpServers: { blue: CHECKOUT_ENTRY } }, entry: CHECKOUT_ENTRY });
    expect(await readdir(s.repo)).not.toContain('.vscode');
    expect(await readdir(s.home)).toEqual([]);
  });

  verifies('cli-help-teaches', '--help lists the clients, the scopes and examples', async () => {
    const s = await setup();
    const run = await s.blue(['--help']);
    expect(run.exitCode).toBe(0);
    for (const text of ['USAGE', 'claude-code|claude-desktop|cursor|vscode', 'project|user', '--print', 'EXAMPLES', 'blue mcp install --client claude-desktop']) expect(run.stdout).toContain(text);
  });

  it('refuses an unknown client as a usage error', async () => {
    const s = await setup();
    const run = await s.blue(['--client', 'emacs', '--json']);
    expect(run.exitCode).toBe(2);
    expect(run.json()).toMatchObject({ error: { code: 'USAGE' } });
  });
});
