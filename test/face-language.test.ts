import { describe, expect } from 'vitest';
import { letemcookScenario, runBlue, sandbox, spawnMcp, verifies } from '@blue/testkit';

function textOf(result: object): string {
  return ((result as { content: Array<{ text?: string }> }).content).map((c) => c.text ?? '').join('\n');
}

/** A CLI flag outside another program's command (git …): what the MCP face must never say. */
const CLI_FLAG = /(^|[\s(`])--[a-z]/;

describe('each face speaks its own language', () => {
  verifies('mcp-face-language', 'MCP errors, hints and next steps name tool calls and arguments; the CLI says the same with commands and flags', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box, { under: 'faces' });
    const { client } = await spawnMcp(box, { cwd: s.aperture.dir });

    const both = await client.callTool({ name: 'blue_realm_export', arguments: { name: 'limits', value: { max_jobs: 4 }, detect: true } });
    expect(textOf(both)).toMatch(/^VALUE_INVALID: .*Give exactly one of "value", "file" or "detect"\./);

    const declared = await client.callTool({ name: 'blue_realm_export', arguments: { name: 'limits', value: { max_jobs: 4 } } });
    const steps = (declared.structuredContent as { next_steps: string[] }).next_steps;
    expect(steps).toEqual(['blue_status {}  # see the change against the realm', 'git add .blue/exports.yaml && git commit -m "Declare export"  # sync publishes only committed work', 'blue_realm_sync {}  # publish it']);

    const status = await client.callTool({ name: 'blue_status', arguments: {} });
    expect((status.structuredContent as { next_steps: string[] }).next_steps[0]).toBe('Commit .blue/exports.yaml: `blue_realm_sync {}` publishes only committed work (or add "allow_dirty").');
    const cliStatus = await runBlue(box, ['status', '--json'], { cwd: s.aperture.dir });
    expect(cliStatus.json<{ next_steps: string[] }>().next_steps[0]).toBe('Commit .blue/exports.yaml: `blue realm sync` publishes only committed work (or add --allow-dirty).');

    const dirty = await client.callTool({ name: 'blue_realm_sync', arguments: {} });
    expect(textOf(dirty)).toContain('or publish them as they are with `blue_realm_sync {"allow_dirty": true}`');
    const cliDirty = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir });
    expect(cliDirty.json<{ error: { hint: string } }>().error.hint).toContain('or publish them as they are with `blue realm sync --allow-dirty`');
    const worktree = await client.callTool({ name: 'blue_realm_worktree', arguments: { rfc: 'x', branch: '--force' } });
    for (const result of [both, declared, status, dirty, worktree]) {
      const said = result.isError ? textOf(result) : JSON.stringify((result.structuredContent as { next_steps: string[] }).next_steps);
      expect(said.replace(/git [^`"]*/g, ''), said).not.toMatch(CLI_FLAG);
    }
  });
});
