// Binding coverage through both faces: `blue status` (human and --json), `blue realm import`
// and the MCP tools give the same coverage fields for the same repo.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, grantInFixtureStack, letemcookScenario, runBlue, sandbox, spawnMcp, verifies } from '@blue/testkit';

const MODULE = 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}")\n\n\ndef save_model(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/models/{run_id}/model.pt")\n';
const WIDER = { value: 'training-metrics/experiments/*', access: 'write', covered: true, covered_by: 'arn:aws:s3:::cultivarium-fungal/training-metrics/*', statement: 'WriteResults' };
const MISSING = { value: 'models/*/model.pt', access: 'write', covered: false, reason: 'no statement allows s3:PutObject on it' };

describe('binding coverage in both faces', () => {
  verifies(['binding-iam-matching', 'binding-access-checked', 'cli-mcp-parity'], 'CLI status (text and --json), import and the MCP tools show covered_by, the reason and coverage alike', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), MODULE);
    await git(box, s.aperture.dir, ['add', '--all']);
    await git(box, s.aperture.dir, ['commit', '-qm', 'experiments and models']);
    expect((await runBlue(box, ['realm', 'sync', '--no-notify'], { cwd: s.aperture.dir })).exitCode).toBe(0);

    const text = await runBlue(box, ['status'], { cwd: s.fungal.dir });
    expect(text.stdout).toContain('   + models/*/model.pt (write): no statement allows s3:PutObject on it');
    expect(text.stdout).toContain('   ✓ training-metrics/experiments/* (write) by arn:aws:s3:::cultivarium-fungal/training-metrics/* (WriteResults)');
    const json = JSON.parse((await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir })).stdout) as { imports: Array<Record<string, unknown>> };
    expect(json.imports[0]).toMatchObject({ status: 'stale', missing: ['models/*/model.pt'], coverage: 'policy', unused: [], notes: [] });
    expect(json.imports[0]?.values).toEqual(expect.arrayContaining([WIDER, MISSING]));

    const { client } = await spawnMcp(box, { cwd: s.fungal.dir });
    const viaMcp = await client.callTool({ name: 'blue_status', arguments: {} });
    expect(viaMcp.isError).toBeFalsy();
    expect((viaMcp.structuredContent as { imports: unknown[] }).imports[0]).toEqual(json.imports[0]);

    await grantInFixtureStack(s.fungal.dir, 'WRITE_PATHS', 'models/*/model.pt');
    const args = ['--contract', 'required-s3-permissions', '--from', 'aperture', '--version', '^1.1.0', '--binding', 'cdk/training_tools_access_stack.py'];
    const imported = JSON.parse((await runBlue(box, ['realm', 'import', ...args, '--json'], { cwd: s.fungal.dir })).stdout) as Record<string, unknown>;
    expect(imported).toMatchObject({ status: 'current', missing: [], coverage: 'policy' });
    expect(imported.values).toEqual(expect.arrayContaining([WIDER, { value: 'models/*/model.pt', access: 'write', covered: true, covered_by: 'arn:aws:s3:::cultivarium-fungal/models/*/model.pt', statement: 'WriteResults' }]));
    const mcpImport = await client.callTool({ name: 'blue_realm_import', arguments: { contract: 'required-s3-permissions', from: 'aperture', version: '^1.1.0', binding: 'cdk/training_tools_access_stack.py' } });
    expect(mcpImport.isError).toBeFalsy();
    expect(mcpImport.structuredContent).toMatchObject({ status: 'current', coverage: 'policy', values: imported.values as unknown[] });
  });
});
