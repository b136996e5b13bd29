import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, verifies, grantInFixtureStack } from '@blue/testkit';
import { parse, stringify } from 'yaml';
import { checkRealm, exportContract, importContract, realmGraph, realmStatus } from '@blue/realm';
import { ctxIn, letemcook } from './helpers.js';

interface Published {
  exports: Array<{ version: string; value: { read: string[]; write: string[] }; changelog: Array<Record<string, unknown>> }>;
}

/** Stands in for a provider's sync (issue 6): publish a new value and version straight into the realm. */
async function publish(realm: string, box: Parameters<typeof git>[0], edit: (file: Published) => void): Promise<void> {
  const file = join(realm, 'domains/aperture/exports.yaml');
  const doc = parse(await readFile(file, 'utf8')) as Published;
  edit(doc);
  await writeFile(file, stringify(doc));
  await git(box, realm, ['commit', '-qam', 'aperture: export required-s3-permissions (test publish)']);
}

function bumpTo(version: string, extraRead?: string, date = '2026-01-25'): (file: Published) => void {
  return (file) => {
    const exp = file.exports[0];
    if (!exp) throw new Error('no export');
    exp.version = version;
    if (extraRead) exp.value.read = [...exp.value.read, extraRead].sort();
    exp.changelog.unshift({ version, date, changes: [extraRead ? `+ ${extraRead}` : 'bump'] });
  };
}

const ADD_EXPERIMENTS = bumpTo('1.1.0', 'experiments/*');

describe('realmStatus', () => {
  verifies('status-shows-realm-state', 'shows realm, domain, exports in sync and current imports', async () => {
    const { box, realm, aperture } = await letemcook({ join: true });
    const status = await realmStatus(ctxIn(box, join(aperture.dir, 'models')));
    expect(status).toMatchObject({
      realm: { name: 'letemcook', path: realm },
      domain: 'aperture',
      repo: aperture.dir,
      admitted: true,
      exports: [{ name: 'required-s3-permissions', state: 'in-sync', published_version: '1.0.0', changes: [], schema_changed: false }],
      imports: [],
      summary: { exports_changed: 0, imports_stale: 0, imports_broken: 0 },
    });
  });

  verifies('status-detects-export-changes', 'a new S3 path in committed code shows as a local export change with its consumers', async () => {
    const { box, aperture } = await letemcook({ join: true });
    await writeFile(join(aperture.dir, 'models/training/metrics_exporter.py'), 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}")\n');
    await git(box, aperture.dir, ['add', '.']);
    await git(box, aperture.dir, ['commit', '-qm', 'metrics']);
    const status = await realmStatus(ctxIn(box, aperture.dir));
    expect(status.exports[0]).toMatchObject({ state: 'changed', lines: expect.arrayContaining(['+ training-metrics/experiments/* (write)']) });
    expect(status.exports[0]?.consumers).toEqual([{ domain: 'fungal-image-analysis', version: '^1.0.0', status: 'current' }]);
    expect(status.summary.exports_changed).toBe(1);
    expect(status.next_steps[0]).toContain('blue realm sync');
  });

  verifies('status-shows-stale-imports', 'after the provider publishes 1.1.0 the consumer sees stale, the new version and what its binding lacks', async () => {
    const { box, realm, fungal } = await letemcook({ join: true });
    await publish(realm, box, ADD_EXPERIMENTS);
    const status = await realmStatus(ctxIn(box, fungal.dir));
    expect(status.imports).toEqual([
      expect.objectContaining({ contract: 'required-s3-permissions', from: 'aperture', status: 'stale', recorded_status: 'current', resolved_version: '1.0.0', available: '1.1.0', missing: ['experiments/*'], binding: 'cdk/training_tools_access_stack.py' }),
    ]);
    expect(status.summary.imports_stale).toBe(1);
    // A comment grants nothing: the binding is read as the policy it is.
    await appendFile(join(fungal.dir, 'cdk/training_tools_access_stack.py'), '\n# arn:aws:s3:::cultivarium-fungal/experiments/*\n');
    expect((await realmStatus(ctxIn(box, fungal.dir))).imports[0]).toMatchObject({ status: 'stale', missing: ['experiments/*'], values: expect.arrayContaining([{ value: 'experiments/*', access: 'read', covered: false, reason: 'no statement allows s3:GetObject on it' }]) as unknown });
    await grantInFixtureStack(fungal.dir, 'READ_PATHS', 'experiments/*');
    const after = await realmStatus(ctxIn(box, fungal.dir));
    // Granted: nothing to change in the binding, so the newer version leaves the import current.
    expect(after.imports[0]).toMatchObject({ status: 'current', missing: [], available: '1.1.0', reasons: [], coverage: 'policy' });
    expect(after.next_steps).toContain('blue realm sync  # the binding already covers the newer version: record it');
  });

  verifies('status-shows-stale-imports', 'a major version outside the range is stale for the grace period, then broken; a missing binding file is broken', async () => {
    const { box, realm, fungal } = await letemcook({ join: true });
    await publish(realm, box, bumpTo('2.0.0', undefined, '2026-01-20'));
    expect((await realmStatus(ctxIn(box, fungal.dir))).imports[0]).toMatchObject({ status: 'stale', grace_until: '2026-02-03T00:00:00Z', reasons: [expect.stringContaining('2.0.0 is a breaking change outside ^1.0.0')] });
    await publish(realm, box, (file) => {
      const entry = file.exports[0]?.changelog[0];
      if (entry) entry.date = '2026-01-01';
    });
    expect((await realmStatus(ctxIn(box, fungal.dir))).imports[0]).toMatchObject({ status: 'broken', reasons: [expect.stringMatching(/2\.0\.0 is outside \^1\.0\.0.*grace period ended 2026-01-15T00:00:00Z/)] });
    await git(box, fungal.dir, ['rm', '-q', 'cdk/training_tools_access_stack.py']);
    await publish(realm, box, bumpTo('1.0.1'));
    expect((await realmStatus(ctxIn(box, fungal.dir))).imports[0]).toMatchObject({ status: 'broken', reasons: ['the binding file cdk/training_tools_access_stack.py is missing'] });
  });

  verifies('status-shows-realm-state', 'outside a realm member says how to join', async () => {
    const { box, aperture } = await letemcook();
    await expect(realmStatus(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'NOT_IN_REALM', hint: expect.stringContaining('blue realm join') });
  });
});

describe('exportContract and importContract', () => {
  verifies('multi-domain-coordination', 'a static export declared by aperture is imported by fungal and shows current', async () => {
    const { box, fungal, aperture } = await letemcook({ join: true });
    const declared = await exportContract(ctxIn(box, aperture.dir), { name: 'training-bucket', value: '{"bucket": "cultivarium-fungal"}' });
    expect(declared).toMatchObject({ created: true, export: { name: 'training-bucket', source: 'value', value: { bucket: 'cultivarium-fungal' } }, file: '.blue/exports.yaml' });
    expect((await realmStatus(ctxIn(box, aperture.dir))).exports.map((e) => [e.name, e.state])).toEqual([['required-s3-permissions', 'in-sync'], ['training-bucket', 'unpublished']]);
    await expect(exportContract(ctxIn(box, aperture.dir), { name: 'training-bucket', value: '{"bucket": 5}' })).rejects.toMatchObject({ code: 'SCHEMA_INVALID', message: expect.stringContaining('value.bucket must be a string (got 5)') });
    await expect(exportContract(ctxIn(box, aperture.dir), { name: 'x', value: '{oops' })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
    await expect(exportContract(ctxIn(box, aperture.dir), { name: 'x', value: '1', detect: true })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
    const imported = await importContract(ctxIn(box, fungal.dir), { contract: 'required-s3-permissions', from: 'aperture', version: '>=1.0.0', binding: 'cdk/training_tools_access_stack.py' });
    expect(imported).toMatchObject({ created: false, status: 'current', import: { version: '>=1.0.0' } });
  });

  verifies('multi-domain-coordination', 'import refuses unknown domains and contracts, unsatisfiable ranges, missing or escaping bindings, cycles', async () => {
    const { box, realm, fungal, aperture } = await letemcook({ join: true });
    const ctx = ctxIn(box, fungal.dir);
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    const base = { contract: 'required-s3-permissions', from: 'aperture', binding: 'cdk/training_tools_access_stack.py' };
    await expect(importContract(ctx, { ...base, from: 'nobody' })).rejects.toMatchObject({ code: 'UNKNOWN_DOMAIN' });
    await expect(importContract(ctx, { ...base, contract: 'nothing' })).rejects.toMatchObject({ code: 'UNKNOWN_CONTRACT', hint: expect.stringContaining('required-s3-permissions') });
    await expect(importContract(ctx, { ...base, version: '^2.0.0' })).rejects.toMatchObject({ code: 'VERSION_INVALID' });
    await expect(importContract(ctx, { ...base, version: 'not a range' })).rejects.toMatchObject({ code: 'VERSION_INVALID' });
    await expect(importContract(ctx, { ...base, binding: 'cdk/missing.py' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(importContract(ctx, { ...base, binding: '../aperture/README.md' })).rejects.toMatchObject({ code: 'PATH_INVALID' });
    await expect(importContract(ctx, { ...base, binding: '/etc/passwd' })).rejects.toMatchObject({ code: 'PATH_INVALID' });
    await exportContract(ctxIn(box, fungal.dir), { name: 'role-arn', value: '"arn:aws:iam::1:role/x"' });
    await git(box, realm, ['status', '--porcelain']);
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    // fungal exports nothing published yet, so aperture cannot import from it; a published one would make a cycle:
    await expect(importContract(ctxIn(box, aperture.dir), { contract: 'role-arn', from: 'fungal-image-analysis', binding: 'README.md' })).rejects.toMatchObject({ code: 'UNKNOWN_CONTRACT' });
  });
});

describe('import cycles', () => {
  verifies('multi-domain-coordination', 'an import that would close a cycle is refused with the cycle named, writing nothing', async () => {
    const { box, realm, aperture } = await letemcook({ join: true });
    // Stand in for fungal publishing an export (sync is issue 6).
    const exports = { exports: [{ name: 'role-arn', version: '1.0.0', schema: { type: 'string' }, value: 'arn:aws:iam::1:role/training', changelog: [{ version: '1.0.0', date: '2026-01-24', changes: ['first'] }] }] };
    await writeFile(join(realm, 'domains/fungal-image-analysis/exports.yaml'), stringify(exports));
    await git(box, realm, ['add', '.']);
    await git(box, realm, ['commit', '-qm', 'fungal: export role-arn@1.0.0']);
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    await expect(importContract(ctxIn(box, aperture.dir), { contract: 'role-arn', from: 'fungal-image-analysis', binding: 'README.md' })).rejects.toMatchObject({
      code: 'IMPORT_CYCLE',
      message: 'Importing from fungal-image-analysis would make a cycle: aperture → fungal-image-analysis → aperture.',
    });
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
  });
});

describe('checkRealm and realmGraph', () => {
  verifies('codeowners-domain-isolation', 'a clean realm passes; a commit by a non-maintainer into a domain folder and a CODEOWNERS mismatch are errors', async () => {
    const { box, realm } = await letemcook({ join: true });
    expect(await checkRealm(ctxIn(box, realm))).toMatchObject({ ok: true, errors: 0, warnings: 0, checked: { domains: 2, exports: 1, imports: 1 } });
    // An approver who is not a maintainer writes in a domain folder (as `blue realm approve` does): allowed.
    await writeFile(join(realm, 'realm.yaml'), (await readFile(join(realm, 'realm.yaml'), 'utf8')).replace('- test@blue.example', '- test@blue.example\n    - ada@approvers.example'));
    // CODEOWNERS follows the approvers (Blue generates it; the check compares it line by line).
    await writeFile(join(realm, '.github/CODEOWNERS'), (await readFile(join(realm, '.github/CODEOWNERS'), 'utf8')).replace(/^(\/realm\.yaml|\/\.github\/) test@blue\.example$/gm, '$1 test@blue.example ada@approvers.example'));
    await git(box, realm, ['commit', '-qam', 'second approver']);
    await appendFile(join(realm, 'domains/aperture/domain.yaml'), '# approved\n');
    await git(box, realm, ['-c', 'user.email=ada@approvers.example', 'commit', '-qam', 'approved']);
    expect(await checkRealm(ctxIn(box, realm))).toMatchObject({ ok: true, errors: 0 });
    await appendFile(join(realm, 'domains/aperture/domain.yaml'), '# touched\n');
    await git(box, realm, ['-c', 'user.email=intruder@evil.example', 'commit', '-qam', 'sneaky']);
    await writeFile(join(realm, '.github/CODEOWNERS'), (await readFile(join(realm, '.github/CODEOWNERS'), 'utf8')).replace('/domains/fungal-image-analysis/ test@blue.example', '/domains/fungal-image-analysis/ someone@else.example'));
    await git(box, realm, ['commit', '-qam', 'owners']);
    const result = await checkRealm(ctxIn(box, realm));
    expect(result.ok).toBe(false);
    expect(result.findings.map((f) => f.rule).sort()).toEqual(['codeowners', 'foreign-write']);
    expect(result.findings.find((f) => f.rule === 'foreign-write')?.message).toMatch(/by intruder@evil\.example changed domains\/aperture\//);
  });

  verifies('yaml-errors-located', 'malformed files are findings with file and line, and the rest is still checked', async () => {
    const { box, realm, fungal } = await letemcook({ join: true });
    await writeFile(join(realm, 'domains/aperture/exports.yaml'), 'exports:\n  - name: required-s3-permissions\n    version: [\n');
    await git(box, realm, ['commit', '-qam', 'break']);
    const result = await checkRealm(ctxIn(box, fungal.dir));
    expect(result.invalid_files).toBe(true);
    expect(result.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'file-invalid', file: 'domains/aperture/exports.yaml', line: 4 })]));
    expect(result.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'import-broken', domain: 'fungal-image-analysis' })]));
  });

  verifies('multi-domain-coordination', 'the graph has aperture → fungal with contract, range and resolved version, in every format', async () => {
    const { box, realm, aperture } = await letemcook({ join: true });
    const text = await realmGraph(ctxIn(box, aperture.dir));
    expect(text).toMatchObject({ realm: 'letemcook', nodes: ['aperture', 'fungal-image-analysis'], edges: [{ from: 'aperture', to: 'fungal-image-analysis', contract: 'required-s3-permissions', range: '^1.0.0', resolved: '1.0.0', status: 'current' }], cycles: [], merge_order: ['aperture', 'fungal-image-analysis'] });
    expect(text.rendered).toContain('└─▶ fungal-image-analysis: required-s3-permissions ^1.0.0 @1.0.0');
    await publish(realm, box, ADD_EXPERIMENTS);
    const mermaid = await realmGraph(ctxIn(box, realm), { format: 'mermaid' });
    expect(mermaid.rendered).toBe(
      'flowchart LR\n  aperture["aperture"]\n  fungal_image_analysis["fungal-image-analysis"]\n  aperture -->|"required-s3-permissions ^1.0.0 @1.1.0 (stale)"| fungal_image_analysis\n  linkStyle 0 stroke:#d29922,stroke-width:2px\n',
    );
    const dot = await realmGraph(ctxIn(box, realm), { format: 'dot' });
    expect(dot.rendered).toContain('"aperture" -> "fungal-image-analysis" [label="required-s3-permissions ^1.0.0 @1.1.0 (stale)", color=orange];');
  });
});

describe('malformed files', () => {
  const FILES: Array<[string, 'realm' | 'repo']> = [
    ['realm.yaml', 'realm'],
    ['domains/aperture/domain.yaml', 'realm'],
    ['domains/aperture/exports.yaml', 'realm'],
    ['domains/fungal-image-analysis/imports.yaml', 'realm'],
    ['.blue/config.yaml', 'repo'],
  ];
  for (const [file, where] of FILES) {
    verifies('yaml-errors-located', `a YAML syntax error in ${file} stops status with file:line`, async () => {
      const { box, realm, fungal } = await letemcook({ join: true });
      const path = join(where === 'realm' ? realm : fungal.dir, file);
      await writeFile(path, `${await readFile(path, 'utf8')}broken: [\n`);
      const lines = (await readFile(path, 'utf8')).split('\n').length;
      await expect(realmStatus(ctxIn(box, fungal.dir))).rejects.toMatchObject({ code: 'YAML_SYNTAX', file: file.replace('.blue/', '.blue/'), line: lines, message: expect.stringMatching(new RegExp(`^${file.replace(/\./g, '\\.')}:${lines}:`)) });
    });
  }

  verifies('yaml-errors-located', 'a schema-invalid value in imports.yaml names the field and line', async () => {
    const { box, realm, fungal } = await letemcook({ join: true });
    const path = join(realm, 'domains/fungal-image-analysis/imports.yaml');
    await writeFile(path, (await readFile(path, 'utf8')).replace('status: current', 'status: fresh'));
    await expect(realmStatus(ctxIn(box, fungal.dir))).rejects.toMatchObject({ code: 'SCHEMA_INVALID', message: expect.stringContaining('imports[0].status must be one of "current", "stale", "broken" (got "fresh")') });
  });
});
