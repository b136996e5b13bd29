import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { letemcookScenario, runBlue, sandbox, spawnMcp, useGitHubStandIn, verifies, type GitHubStandIn, type Sandbox } from '@blue/testkit';

const SLUG = 'feat-training-metrics-v2';

/** Letemcook with both repos on a stand-in of their own (branches checked against the bare remotes). */
async function scene(box: Sandbox, under: string) {
  const s = await letemcookScenario(box, { under, github: true });
  const standIn = await useGitHubStandIn();
  standIn.addRepo({ owner: 'letemcook', name: 'aperture', remote: s.aperture.remote });
  standIn.addRepo({ owner: 'letemcook', name: 'fungal-image-analysis', remote: s.fungal.remote });
  const trees = { aperture: join(s.aperture.dir, '.worktrees', SLUG), fungal: join(s.fungal.dir, '.worktrees', SLUG) };
  return { ...s, standIn, trees };
}

async function edit(trees: { aperture: string; fungal: string }): Promise<void> {
  await appendFile(join(trees.aperture, 'models/training/metrics.py'), '\nEXPERIMENTS = "s3://cultivarium-fungal/training-metrics/experiments/"\n');
  await appendFile(join(trees.fungal, 'cdk/training_tools_access_stack.py'), '\n# training-metrics/experiments/*\n');
}

/** The result without what differs between two runs (stand-in port, temp paths). */
function portable(result: unknown, standIn: GitHubStandIn, root: string): unknown {
  return JSON.parse(JSON.stringify(result).replaceAll(standIn.url, '<github>').replaceAll(root, '<root>')) as unknown;
}

describe('linked pull requests through both faces', () => {
  verifies('pr-linked-merge-order', 'CLI worktree, commit, push and pr print the RFC story; MCP tools give the same pr result', async () => {
    const box = await sandbox();
    const cli = await scene(box, 'cli');
    const env = { ...cli.standIn.env };
    const started = await runBlue(box, ['realm', 'worktree', '--rfc', 'training-metrics-v2'], { cwd: cli.aperture.dir, env });
    expect(started.exitCode).toBe(0);
    expect(started.stdout).toContain(`cd ${cli.trees.fungal}  # fungal-image-analysis`);
    await edit(cli.trees);
    expect((await runBlue(box, ['realm', 'commit', '-m', 'feat: experiment metrics'], { cwd: cli.trees.fungal, env })).exitCode).toBe(0);
    expect((await runBlue(box, ['realm', 'push'], { cwd: cli.trees.fungal, env })).exitCode).toBe(0);
    const pr = await runBlue(box, ['realm', 'pr'], { cwd: cli.trees.aperture, env });
    expect(pr.exitCode).toBe(0);
    expect(pr.stdout).toContain('Creating coordinated pull requests:');
    expect(pr.stdout).toMatch(/aperture:\n {2}✓ PR #1: "feat: experiment metrics"\n.*\n {4}Base: main\n {4}Links to: fungal-image-analysis#1\n/);
    expect(pr.stdout).toContain('    Blocked by: aperture#1 (merge aperture first)');
    expect(pr.stdout.trimEnd().split('\n').filter((l) => l.includes('Merge order'))).toEqual(['PRs are linked. Merge order: aperture#1 → fungal-image-analysis#1']);
    const again = await runBlue(box, ['realm', 'pr', '--json'], { cwd: cli.trees.aperture, env });
    expect(again.exitCode).toBe(0);
    const cliResult = JSON.parse(again.stdout) as { pulls: Array<{ created: boolean }> };
    expect(cliResult.pulls.map((p) => p.created)).toEqual([false, false]);
    expect(cli.standIn.state.pulls()).toHaveLength(2);

    const mcp = await scene(box, 'mcp');
    const { client } = await spawnMcp(box, { env: { ...mcp.standIn.env } });
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      return result.structuredContent;
    };
    await call('blue_realm_worktree', { rfc: 'training-metrics-v2', cwd: mcp.aperture.dir });
    await edit(mcp.trees);
    await call('blue_realm_commit', { message: 'feat: experiment metrics', cwd: mcp.trees.fungal });
    await call('blue_realm_push', { cwd: mcp.trees.fungal });
    await call('blue_realm_pr', { cwd: mcp.trees.aperture });
    const mcpResult = await call('blue_realm_pr', { cwd: mcp.trees.aperture });
    expect(portable(mcpResult, mcp.standIn, mcp.root)).toEqual(portable(cliResult, cli.standIn, cli.root));
    expect(mcp.standIn.state.pulls()).toHaveLength(2);
    // Twelve runs, each pr also setting the blue/merge-order check: about 29 s alone on 2 shared cores.
  }, 60_000);

  verifies('pr-linked-merge-order', 'CLI pr before push: each repo fails with BRANCH_NOT_PUSHED (exit 4, a state error) and says to push; nothing is opened', async () => {
    const box = await sandbox();
    const s = await scene(box, 'unpushed');
    const env = { ...s.standIn.env };
    await runBlue(box, ['realm', 'worktree', '--rfc', 'training-metrics-v2'], { cwd: s.aperture.dir, env });
    await edit(s.trees);
    await runBlue(box, ['realm', 'commit', '-m', 'feat: experiment metrics'], { cwd: s.trees.aperture, env });
    const pr = await runBlue(box, ['realm', 'pr', '--json'], { cwd: s.trees.aperture, env });
    expect(pr.exitCode).toBe(4);
    expect(JSON.parse(pr.stdout)).toMatchObject({ pulls: [{ status: 'failed', error: { code: 'BRANCH_NOT_PUSHED' } }, { status: 'failed', error: { code: 'BRANCH_NOT_PUSHED' } }] });
    const human = await runBlue(box, ['realm', 'pr'], { cwd: s.trees.aperture, env });
    expect(human.stdout).toContain('Push it first: blue realm push');
    expect(s.standIn.state.pulls()).toHaveLength(0);
  });
});
