import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { Ajv } from 'ajv';
import { XMLValidator } from 'fast-xml-parser';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { git, letemcookScenario, runBlue, sandbox, verifies } from '@blue/testkit';

const SARIF_SCHEMA = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

describe('blue realm join / status (CLI)', () => {
  verifies(['realm-join-registers-domain', 'realm-join-detects-s3-exports'], 'join prints the RFC ✓ lines for aperture and fungal', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box, { join: false });
    const aperture = await runBlue(box, ['realm', 'join', '../realm-letemcook', '--as', 'aperture'], { cwd: s.aperture.dir });
    expect(aperture.exitCode).toBe(0);
    expect(aperture.stdout).toContain('✓ Created domains/aperture/domain.yaml\n✓ Auto-detected exports: required-s3-permissions\n✓ Created domains/aperture/exports.yaml');
    expect(aperture.stdout).toContain('✓ Updated .blue/config.yaml');
    const fungal = await runBlue(box, ['realm', 'join', '../realm-letemcook', '--as', 'fungal-image-analysis'], { cwd: s.fungal.dir });
    expect(fungal.stdout).toContain('✓ Detected import: required-s3-permissions from aperture (binding cdk/training_tools_access_stack.py)');
    expect(fungal.stdout).toContain('✓ Created domains/fungal-image-analysis/domain.yaml\n✓ Detected import: required-s3-permissions from aperture (binding cdk/training_tools_access_stack.py)\n✓ Created domains/fungal-image-analysis/imports.yaml');
    const again = await runBlue(box, ['realm', 'join', '../realm-letemcook', '--as', 'aperture'], { cwd: s.aperture.dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('already a domain of realm letemcook');
  });

  verifies(['status-shows-realm-state', 'cli-exit-codes'], 'status in a joined repo, --strict exit codes, and outside a realm exit 4', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    const status = await runBlue(box, ['status'], { cwd: s.fungal.dir });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('📊 fungal-image-analysis (domain in letemcook realm)');
    expect(status.stdout).toContain('✓ Imports current: required-s3-permissions@1.0.0 from aperture');
    await writeFile(join(s.fungal.dir, 'cdk/training_tools_access_stack.py'), (await readFile(join(s.fungal.dir, 'cdk/training_tools_access_stack.py'), 'utf8')).replaceAll('training-runs/*', 'training-runs-old/*'));
    const strict = await runBlue(box, ['status', '--strict'], { cwd: s.fungal.dir });
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toContain('Missing from the binding:\n   + training-runs/*');
    expect(strict.stderr).toBe('blue status --strict: 1 stale import(s)\n');
    const outside = await runBlue(box, ['status', '--json'], { cwd: box.root });
    expect(outside.exitCode).toBe(4);
    expect(outside.json()).toMatchObject({ error: { code: 'NOT_A_REPO' } });
  });
});

describe('blue realm sync (CLI)', () => {
  verifies(['sync-dry-run', 'sync-updates-exports'], 'dry run then sync print the RFC lines; nothing to sync says so', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}")\n');
    await git(box, s.aperture.dir, ['add', '.']);
    await git(box, s.aperture.dir, ['commit', '-qm', 'experiments']);
    const dry = await runBlue(box, ['realm', 'sync', '--dry-run'], { cwd: s.aperture.dir });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain("📤 Dry run: what syncing with realm 'letemcook' would do (nothing is written)");
    expect(dry.stdout).toContain('  required-s3-permissions: 1.0.0 → 1.1.0\n  + training-metrics/experiments/* (write)');
    const sync = await runBlue(box, ['realm', 'sync'], { cwd: s.aperture.dir });
    expect(sync.stdout).toContain('Exports updated:\n  required-s3-permissions: 1.0.0 → 1.1.0');
    expect(sync.stdout).toMatch(/✓ Realm synced \(commit [0-9a-f]{7}, not pushed: the realm has no remote\)/);
    const again = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir });
    expect(again.json()).toMatchObject({ exports: [{ status: 'unchanged' }], pushed: false });
  });
});

describe('blue realm check / graph (CLI)', () => {
  verifies(['codeowners-domain-isolation', 'cli-exit-codes'], 'check exits 0 on a clean realm, 1 on problems, 3 on a malformed file; JUnit and SARIF are valid', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    const clean = await runBlue(box, ['realm', 'check'], { cwd: s.realm });
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain('✓ No problems found');

    await writeFile(join(s.realm, '.github/CODEOWNERS'), '# emptied\n');
    await git(box, s.realm, ['commit', '-qam', 'drop owners']);
    const problems = await runBlue(box, ['realm', 'check', '--format', 'junit'], { cwd: s.aperture.dir });
    expect(problems.exitCode).toBe(1);
    expect(XMLValidator.validate(problems.stdout)).toBe(true);
    // Both domain lines and both governance lines (realm.yaml, .github/) are missing.
    expect(problems.stdout).toMatch(/<testcase classname="blue.realm.check" name="codeowners">\s*<failure message="4 problem\(s\)"/);

    const sarif = await runBlue(box, ['realm', 'check', '--format', 'sarif'], { cwd: s.aperture.dir });
    expect(sarif.exitCode).toBe(1);
    // The SARIF schema is draft-04; it uses no keyword whose meaning changed in draft-07 (only its
    // top-level `id`), so it compiles with ajv's draft-07 engine once the draft-04 markers go.
    const { $schema: _draft, id: _id, ...sarifSchema } = JSON.parse(await readFile(SARIF_SCHEMA, 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(sarifSchema);
    const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]?.results.map((r) => r.ruleId)).toEqual(['codeowners', 'codeowners', 'codeowners', 'codeowners']);

    await writeFile(join(s.realm, 'domains/aperture/domain.yaml'), 'name: aperture\nmaintainers: [\n');
    await git(box, s.realm, ['commit', '-qam', 'break']);
    const malformed = await runBlue(box, ['realm', 'check', '--json'], { cwd: s.realm });
    expect(malformed.exitCode).toBe(3);
    expect(malformed.json()).toMatchObject({ invalid_files: true, findings: expect.arrayContaining([expect.objectContaining({ rule: 'file-invalid', file: 'domains/aperture/domain.yaml', line: 3 })]) });
  });

  verifies('multi-domain-coordination', 'graph renders as text, mermaid and dot that Graphviz accepts', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    const text = await runBlue(box, ['realm', 'graph'], { cwd: s.realm });
    expect(text.stdout).toContain('aperture\n  └─▶ fungal-image-analysis: required-s3-permissions ^1.0.0 @1.0.0');
    const mermaid = await runBlue(box, ['realm', 'graph', '--format', 'mermaid'], { cwd: s.realm });
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    const dot = await runBlue(box, ['realm', 'graph', '--format', 'dot'], { cwd: s.realm });
    const graphviz = await Graphviz.load();
    expect(graphviz.layout(dot.stdout, 'svg', 'dot')).toContain('<svg');
    expect(() => graphviz.layout('digraph { a -> }', 'svg', 'dot')).toThrow();
  });
});
