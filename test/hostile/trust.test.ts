// Hostile member corpus: a repo you just cloned declares a `command` detector. Nothing runs until
// a person trusts that exact command (`blue trust allow`); no MCP tool can grant it; any change to
// the command revokes it.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { clone, gitRepo, runBlue, sandbox, spawnMcp, verifies, type Sandbox } from '@blue/testkit';
import { changes, snapshot } from './helpers.js';

/** A repo that is its own realm (realm.path: .) and declares a command detector writing `marker`. */
async function hostileRepo(box: Sandbox, marker: string): Promise<string> {
  const command = ['sh', '-c', `touch '${marker}'; echo '{"built": "yes"}'`];
  return gitRepo(box, {
    'realm.yaml': 'name: evil\nversion: 1.0.0\ncreated_at: "2026-01-01T00:00:00Z"\ngovernance: {admission: open, approvers: [], breaking_changes: {require_approval: false, grace_period_days: 0}}\n',
    'domains/app/domain.yaml': 'name: app\nmaintainers: [test@blue.example]\njoined_at: "2026-01-01T00:00:00Z"\n',
    '.blue/config.yaml': 'realm: {name: evil, path: ., domain: app}\n',
    '.blue/exports.yaml': `exports:\n  - name: build-info\n    detect: {kind: command, command: ${JSON.stringify(command)}}\n`,
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

describe('hostile member: commands declared by a repo', () => {
  verifies('untrusted-command-not-run', 'a fresh clone declaring a command: `blue status` and MCP blue_status run nothing, report it untrusted with the command and how to allow it, and write nothing', async () => {
    const box = await sandbox();
    const marker = join(box.root, 'pwned');
    const repo = await clone(box, await hostileRepo(box, marker), 'cloned');
    // BLUE_HOME exists on any machine that ran blue; its cache/ is derived data (see snapshot).
    await mkdir(box.env.BLUE_HOME ?? '', { recursive: true });
    const before = await snapshot(box);

    const run = await runBlue(box, ['status', '--json'], { cwd: repo });
    expect(run.exitCode, run.stderr).toBe(0);
    const status = run.json<{ exports: Array<{ name: string; state: string; untrusted?: { command: string[]; allow: string; sha256: string } }>; next_steps: string[] }>();
    expect(status.exports).toEqual([expect.objectContaining({ name: 'build-info', state: 'untrusted', untrusted: expect.objectContaining({ command: ['sh', '-c', expect.stringContaining(marker)], allow: 'blue trust allow --export build-info' }) })]);
    expect(status.next_steps[0]).toContain('blue trust allow --export build-info');
    const human = await runBlue(box, ['status'], { cwd: repo });
    expect(human.stdout).toContain("Export 'build-info' is untrusted");

    const { client } = await spawnMcp(box, { cwd: repo });
    const tool = await client.callTool({ name: 'blue_status', arguments: { cwd: repo } });
    expect(tool.isError).toBeFalsy();
    expect((tool.structuredContent as { exports: Array<{ state: string }> }).exports[0]?.state).toBe('untrusted');
    // No tool grants trust.
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools.filter((name) => /trust/.test(name))).toEqual([]);
    // An agent asking to export with --detect is refused: the command stays unrun.
    const exported = await client.callTool({ name: 'blue_realm_export', arguments: { name: 'build-info', detect: true, cwd: repo } });
    expect(exported.isError).toBe(true);
    expect((exported.content as Array<{ text: string }>)[0]?.text).toMatch(/^COMMAND_UNTRUSTED: /);

    const check = await runBlue(box, ['realm', 'check', '--json'], { cwd: repo });
    expect(check.exitCode, check.stdout).toBe(1);
    const sync = await runBlue(box, ['realm', 'sync', '--dry-run', '--json'], { cwd: repo });
    expect(sync.exitCode, sync.stdout + sync.stderr).toBe(0);
    // Sync publishes nothing for it, and says why and how a person allows it.
    expect(sync.json<{ next_steps: string[] }>().next_steps[0]).toMatch(/^Export build-info is untrusted: this repo declares the command .* and Blue ran nothing\. If you \(a person, not an agent\) trust it, run in a terminal: cd .* && blue trust allow/);

    expect(await exists(marker)).toBe(false);
    // What readers record by design (the fetch stamp, the clone registered in the index) is not the command's doing.
    expect(changes(before, await snapshot(box)).filter((c) => !/(\.git\/blue-fetch\.json|home\/index\.yaml)$/.test(c))).toEqual([]);
  });

  verifies('untrusted-command-not-run', '`blue trust allow` (a person, CLI) makes status run the exact command; changing the command revokes; `blue trust revoke` takes it back', async () => {
    const box = await sandbox();
    const marker = join(box.root, 'ran');
    const repo = await clone(box, await hostileRepo(box, marker), 'cloned');
    const allowed = await runBlue(box, ['trust', 'allow', '--export', 'build-info', '--json'], { cwd: repo });
    expect(allowed.exitCode, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.json<{ changed: Array<{ sha256: string }> }>().changed).toHaveLength(1);
    expect((await readFile(join(box.env.BLUE_HOME ?? '', 'trust.yaml'), 'utf8'))).toContain(repo);
    const listed = await runBlue(box, ['trust', 'list', '--json'], { cwd: repo });
    expect(listed.json<{ trusted: Array<{ repo: string }> }>().trusted.map((t) => t.repo)).toEqual([repo]);

    const trusted = await runBlue(box, ['status', '--json'], { cwd: repo });
    expect(trusted.json<{ exports: Array<{ state: string }> }>().exports[0]?.state).toBe('unpublished');
    expect(await exists(marker)).toBe(true);

    // One changed argument is another command: untrusted again, nothing runs.
    const other = join(box.root, 'other');
    const exportsFile = join(repo, '.blue/exports.yaml');
    await writeFile(exportsFile, (await readFile(exportsFile, 'utf8')).replace(marker, other));
    const changed = await runBlue(box, ['status', '--json'], { cwd: repo });
    expect(changed.json<{ exports: Array<{ state: string }> }>().exports[0]?.state).toBe('untrusted');
    expect(await exists(other)).toBe(false);

    // --sha256 pins what was reviewed.
    const stale = await runBlue(box, ['trust', 'allow', '--sha256', '0'.repeat(64), '--json'], { cwd: repo });
    expect(stale.exitCode).toBe(3);
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('VALUE_INVALID');

    const revoked = await runBlue(box, ['trust', 'revoke', '--json'], { cwd: repo });
    expect(revoked.json<{ changed: unknown[] }>().changed).toHaveLength(1);
    expect((await runBlue(box, ['trust', 'list', '--json'], { cwd: repo })).json<{ trusted: unknown[] }>().trusted).toEqual([]);
  });

  verifies('untrusted-command-not-run', '`blue realm export --detect` in the CLI declares the repo\'s command rule as the user\'s: trusted and run; the same through MCP is COMMAND_UNTRUSTED', async () => {
    const box = await sandbox();
    const marker = join(box.root, 'declared');
    const repo = await clone(box, await hostileRepo(box, marker), 'cloned');
    const run = await runBlue(box, ['realm', 'export', '--name', 'build-info', '--detect', '--json'], { cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.json<{ export: { value: unknown } }>().export.value).toEqual({ built: 'yes' });
    expect(await exists(marker)).toBe(true);
    expect(await readFile(join(repo, '.blue/exports.yaml'), 'utf8')).toContain(marker);
    expect((await runBlue(box, ['trust', 'list', '--here', '--json'], { cwd: repo })).json<{ trusted: Array<{ export: string }> }>().trusted.map((t) => t.export)).toEqual(['build-info']);
  });
});
