// Hostile member corpus: a member without approval edits the realm's governance files directly.
// `blue realm check` (CLI and MCP) names each edit and who made it; the check itself writes nothing.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { runBlue, spawnMcp, verifies, type Sandbox } from '@blue/testkit';
import { changes, sharedScenario, snapshot, withMalloryCommit } from './helpers.js';

interface Finding {
  rule: string;
  message: string;
  line?: number;
}

/** Commits what `plant` changed in the realm as Mallory (with extra commit args), runs `check` in both faces, then undoes the commit. */
async function checkAfter(box: Sandbox, realm: string, cwd: string, plant: () => Promise<void>, commitArgs: string[] = []): Promise<{ cli: Finding[]; mcp: Finding[]; exit: number | null }> {
  return withMalloryCommit(box, realm, plant, async () => {
    const before = await snapshot(box);
    const run = await runBlue(box, ['realm', 'check', '--json'], { cwd });
    const { client } = await spawnMcp(box);
    const tool = await client.callTool({ name: 'blue_realm_check', arguments: { cwd } });
    expect(changes(before, await snapshot(box))).toEqual([]);
    return { cli: run.json<{ findings: Finding[] }>().findings, mcp: (tool.structuredContent as { findings: Finding[] }).findings, exit: run.exitCode };
  }, commitArgs);
}

describe('hostile member: governance files', () => {
  const shared = sharedScenario();

  verifies('governance-guarded', 'the generated realm passes the check: no governance finding to begin with', async () => {
    const { box, s } = shared();
    const run = await runBlue(box, ['realm', 'check', '--json'], { cwd: s.aperture.dir });
    expect(run.json<{ findings: Finding[] }>().findings.filter((f) => ['codeowners', 'governance-change', 'foreign-write'].includes(f.rule))).toEqual([]);
  });

  for (const line of ['/domains/ mallory@evil.example', '* mallory@evil.example', '/domains/aperture/** mallory@evil.example']) {
    verifies('governance-guarded', `a CODEOWNERS line "${line}" appended by a non-approver is a finding naming the line and Mallory`, async () => {
      const { box, s } = shared();
      const file = join(s.realm, '.github/CODEOWNERS');
      const lines = (await readFile(file, 'utf8')).split('\n').length;
      const { cli, mcp, exit } = await checkAfter(box, s.realm, s.aperture.dir, () => appendFile(file, `${line}\n`));
      expect(exit).toBe(1);
      const finding = cli.find((f) => f.rule === 'codeowners');
      expect(finding?.message).toContain(`"${line}" is not what the domains' maintainers and the approvers imply`);
      expect(finding?.message).toMatch(/added by commit [0-9a-f]{7} by mallory@evil\.example/);
      expect(finding?.line).toBe(lines);
      expect(mcp.find((f) => f.rule === 'codeowners')?.message).toBe(finding?.message);
    });
  }

  verifies('governance-guarded', 'a non-approver adding themself to the approvers and turning off require_approval is a governance-change finding', async () => {
    const { box, s } = shared();
    const file = join(s.realm, 'realm.yaml');
    const { cli, mcp } = await checkAfter(box, s.realm, s.aperture.dir, async () => {
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace('approvers:\n', 'approvers:\n    - mallory@evil.example\n').replace('require_approval: true', 'require_approval: false'));
    });
    const finding = cli.find((f) => f.rule === 'governance-change');
    expect(finding?.message).toMatch(/^commit [0-9a-f]{7} by mallory@evil\.example changed realm\.yaml governance \(approvers \+mallory@evil\.example/);
    expect(finding?.message).toContain('only an approver listed before the change (test@blue.example) may change it');
    expect(mcp.map((f) => f.rule)).toContain('governance-change');
  });

  verifies('governance-guarded', '`git commit --author=<maintainer>` by someone else in a domain folder: foreign-write names the committer', async () => {
    const { box, s } = shared();
    const file = join(s.realm, 'domains/aperture/domain.yaml');
    const { cli } = await checkAfter(box, s.realm, s.fungal.dir, () => appendFile(file, '# touched\n'), ['--author=Blue Test <test@blue.example>']);
    const finding = cli.find((f) => f.rule === 'foreign-write');
    expect(finding?.message).toMatch(/^commit [0-9a-f]{7} by test@blue\.example \(committed by mallory@evil\.example\) changed domains\/aperture\//);
  });
});
