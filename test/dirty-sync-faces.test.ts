import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect } from 'vitest';
import { git, letemcookScenario, runBlue, sandbox, spawnMcp, verifies, type Sandbox } from '@blue/testkit';

/** A tracked aperture file gains an s3:// path (what the s3-paths detector reads), not committed. */
const NEW_PATH = '\n\ndef export_sweep(path):\n    storage.upload_file(path, "s3://cultivarium-fungal/training-metrics/sweeps/latest.json")\n';
const METRICS = 'models/training/metrics.py';
const NOTE = `Published from uncommitted files (--allow-dirty): ${METRICS}.`;

async function dirtyAperture(box: Sandbox, under: string) {
  const s = await letemcookScenario(box, { under });
  await appendFile(join(s.aperture.dir, METRICS), NEW_PATH);
  return s;
}

async function publishedChangelog(realm: string): Promise<Array<{ version: string; changes: string[] }>> {
  const file = parse(await readFile(join(realm, 'domains/aperture/exports.yaml'), 'utf8')) as { exports: Array<{ changelog: Array<{ version: string; changes: string[] }> }> };
  return file.exports[0]?.changelog ?? [];
}

describe('sync publishes only committed work, through both faces', () => {
  verifies('sync-refuses-uncommitted', 'CLI: sync refuses an uncommitted detector input (exit 4, the file named, realm untouched); status lists it; --allow-dirty publishes and notes it', async () => {
    const box = await sandbox();
    const s = await dirtyAperture(box, 'cli');
    const head = await git(box, s.realm, ['rev-parse', 'HEAD']);
    const refused = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir });
    expect(refused.exitCode).toBe(4);
    expect(refused.json()).toMatchObject({ error: { code: 'DIRTY_WORKTREE', file: METRICS, message: expect.stringContaining(`${METRICS} (read by a detector, modified)`) as unknown, hint: expect.stringContaining('--allow-dirty') as unknown } });
    expect(await git(box, s.realm, ['rev-parse', 'HEAD'])).toBe(head);
    const dry = await runBlue(box, ['realm', 'sync', '--dry-run', '--json'], { cwd: s.aperture.dir });
    expect(dry.exitCode).toBe(4);

    const status = await runBlue(box, ['status', '--json'], { cwd: s.aperture.dir });
    expect(status.json()).toMatchObject({ uncommitted: [{ path: METRICS, reason: 'detector-input', state: 'modified' }], next_steps: [expect.stringContaining(`Commit ${METRICS}`), expect.stringMatching(/^blue realm sync /)] });
    expect((await runBlue(box, ['status'], { cwd: s.aperture.dir })).stdout).toContain(`📝 Uncommitted (sync refuses to publish them):\n   ${METRICS} (modified; detector-input)`);

    const forced = await runBlue(box, ['realm', 'sync', '--allow-dirty', '--json'], { cwd: s.aperture.dir });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.json()).toMatchObject({ exports: [{ to_version: '1.1.0' }], uncommitted: [{ path: METRICS }] });
    expect((await publishedChangelog(s.realm))[0]).toMatchObject({ version: '1.1.0', changes: expect.arrayContaining([NOTE]) as unknown });
  });

  verifies('sync-refuses-uncommitted', 'MCP: blue_realm_sync refuses the same way; allow_dirty publishes and notes it; committed work syncs clean', async () => {
    const box = await sandbox();
    const s = await dirtyAperture(box, 'mcp');
    const { client } = await spawnMcp(box, { cwd: s.aperture.dir });
    const refused = await client.callTool({ name: 'blue_realm_sync', arguments: {} });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]?.text).toMatch(new RegExp(`^DIRTY_WORKTREE: Sync would publish uncommitted work: ${METRICS} \\(read by a detector, modified\\)\\.`));
    const status = await client.callTool({ name: 'blue_status', arguments: {} });
    expect(status.structuredContent).toMatchObject({ uncommitted: [{ path: METRICS, reason: 'detector-input', state: 'modified' }] });
    const forced = await client.callTool({ name: 'blue_realm_sync', arguments: { allow_dirty: true } });
    expect(forced.isError).toBeFalsy();
    expect(forced.structuredContent).toMatchObject({ exports: [{ to_version: '1.1.0' }], uncommitted: [{ path: METRICS, reason: 'detector-input' }] });
    expect((await publishedChangelog(s.realm))[0]?.changes).toContain(NOTE);
    await git(box, s.aperture.dir, ['commit', '-qam', 'sweeps']);

    // A binding file (fungal) and the export declarations: refused until committed.
    await appendFile(join(s.fungal.dir, 'cdk/training_tools_access_stack.py'), '\n# reviewed\n');
    const binding = await client.callTool({ name: 'blue_realm_sync', arguments: { cwd: s.fungal.dir } });
    expect((binding.content as Array<{ text: string }>)[0]?.text).toContain('cdk/training_tools_access_stack.py (a binding file, modified)');
    await git(box, s.fungal.dir, ['commit', '-qam', 'reviewed']);
    expect((await client.callTool({ name: 'blue_realm_sync', arguments: { cwd: s.fungal.dir } })).isError).toBeFalsy();
    await client.callTool({ name: 'blue_realm_export', arguments: { name: 'limits', value: { max_jobs: 4 } } });
    const declared = await client.callTool({ name: 'blue_realm_sync', arguments: {} });
    expect((declared.content as Array<{ text: string }>)[0]?.text).toContain('.blue/exports.yaml (the export declarations, modified)');
    await git(box, s.aperture.dir, ['commit', '-qam', 'declare limits']);
    const clean = await client.callTool({ name: 'blue_realm_sync', arguments: {} });
    expect(clean.structuredContent).toMatchObject({ uncommitted: [], exports: expect.arrayContaining([expect.objectContaining({ name: 'limits', status: 'new' })]) as unknown });
  });
});
