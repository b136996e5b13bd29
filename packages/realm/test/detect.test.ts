import { access, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandDigest, S3_PATHS_SCHEMA, writeYamlFile, type DetectRule } from '@blue/core';
import {
  createContext,
  detectExportValue,
  findBindingFiles,
  listTrackedFiles,
  readTrackedSources,
  suggestS3Export,
  type BlueContext,
  type DetectedValue,
} from '@blue/realm';
import { FIXTURES_DIR, gitRepo, sandbox, verifies, writeTree, type Sandbox } from '@blue/testkit';

/** The RFC's value of aperture's export `required-s3-permissions`. */
const RFC_VALUE = {
  read: ['jobs/*/*/config.json', 'jobs/*/*/manifest.json', 'jobs/*/masks/*', 'training-metrics/*', 'training-runs/*'],
  write: ['jobs/*/*/manifest.json', 'training-metrics/*'],
};
const STACK = 'cdk/training_tools_access_stack.py';

/** fixtures/<name> as a tree (repo-relative path -> content). */
async function fixtureTree(name: string): Promise<Record<string, string>> {
  const root = join(FIXTURES_DIR, name);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const tree: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = join(entry.parentPath, entry.name);
    tree[relative(root, file).split('\\').join('/')] = await readFile(file, 'utf8');
  }
  return tree;
}

async function repoOf(tree: Record<string, string>): Promise<{ box: Sandbox; ctx: BlueContext; repo: string }> {
  const box = await sandbox();
  const repo = await gitRepo(box, tree);
  return { box, ctx: createContext({ cwd: repo, env: box.env }), repo };
}

describe('s3-paths detection over the aperture fixture', () => {
  verifies('realm-join-detects-s3-exports', "detects exactly the RFC's required-s3-permissions value from aperture's tracked files", async () => {
    const { ctx, repo } = await repoOf(await fixtureTree('aperture'));
    const detected = await detectExportValue(ctx, repo, { kind: 's3-paths', bucket: 'cultivarium-fungal' });
    expect(detected.value).toEqual(RFC_VALUE);
    expect(detected.schema).toEqual(S3_PATHS_SCHEMA);
    expect(detected.findings).toContainEqual({ bucket: 'cultivarium-fungal', key: 'jobs/*/*/manifest.json', access: 'write', file: 'models/training/manifest.py', line: 22 });
    // The README, a comment and a docstring mention other paths; none of them is code that uses S3.
    expect(new Set(detected.findings?.map((f) => f.file))).toEqual(
      new Set(['models/training/dataset.py', 'models/training/manifest.py', 'models/training/metrics.py', 'models/training/runs.py', 'scripts/sync_masks.sh']),
    );
  });

  verifies('realm-join-detects-s3-exports', 'suggests the export join writes: required-s3-permissions, one bucket, the RFC value', async () => {
    const { ctx, repo } = await repoOf(await fixtureTree('aperture'));
    expect(await suggestS3Export(ctx, repo)).toEqual({
      name: 'required-s3-permissions',
      rule: { kind: 's3-paths', bucket: 'cultivarium-fungal' },
      value: RFC_VALUE,
      schema: S3_PATHS_SCHEMA,
    });
  });

  it('never reads untracked files', async () => {
    const { ctx, repo } = await repoOf(await fixtureTree('aperture'));
    await writeTree(repo, { 'scratch.py': 'storage.write_json("s3://cultivarium-fungal/scratch/try.json", {})\n' });
    expect(await listTrackedFiles(repo, ctx.env)).not.toContain('scratch.py');
    const detected = await detectExportValue(ctx, repo, { kind: 's3-paths', bucket: 'cultivarium-fungal' });
    expect(detected.value).toEqual(RFC_VALUE);
  });

  it('honours include and exclude globs', async () => {
    const { ctx, repo } = await repoOf(await fixtureTree('aperture'));
    const onlyRuns = await detectExportValue(ctx, repo, { kind: 's3-paths', bucket: 'cultivarium-fungal', include: ['models/training/r*.py'] });
    expect(onlyRuns.value).toEqual({ read: ['training-runs/*'], write: [] });
    const noMetrics = await detectExportValue(ctx, repo, { kind: 's3-paths', bucket: 'cultivarium-fungal', exclude: ['metrics.py', 'scripts'] });
    expect(noMetrics.value).toEqual({ read: RFC_VALUE.read.filter((k) => k !== 'training-metrics/*'), write: ['jobs/*/*/manifest.json'] });
  });

  it('prefixes keys with their bucket when the repo uses several buckets', async () => {
    const { ctx, repo } = await repoOf({ 'a.py': 'read_json("s3://one/a.json")\n', 'b.py': 'upload_file(p, "s3://two/b/")\n' });
    const suggestion = await suggestS3Export(ctx, repo);
    expect(suggestion?.rule).toEqual({ kind: 's3-paths' });
    expect(suggestion?.value).toEqual({ read: ['one/a.json'], write: ['two/b/*'] });
  });

  it('suggests nothing for a repo without s3:// literals', async () => {
    const { ctx, repo } = await repoOf(await fixtureTree('fungal-image-analysis'));
    expect(await suggestS3Export(ctx, repo)).toBeUndefined();
  });
});

describe('readTrackedSources', () => {
  it('skips binary, oversized and deleted files and filters on mustContain before decoding', async () => {
    const { ctx, repo } = await repoOf({
      'a.py': 'x = "s3://b/a"\n',
      'b.py': 'print("no uri")\n',
      'blob.dat': 's3://b/blob\0binary',
      'image.png': 's3://b/png',
      'big.json': `"s3://b/big"${' '.repeat(1024 * 1024)}`,
      'gone.py': 'x = "s3://b/gone"\n',
    });
    await rm(join(repo, 'gone.py'));
    const sources = await readTrackedSources(repo, ctx.env, { mustContain: 's3://' });
    expect(sources).toEqual([{ path: 'a.py', text: 'x = "s3://b/a"\n' }]);
    expect((await readTrackedSources(repo, ctx.env, { include: ['*.py'] })).map((s) => s.path)).toEqual(['a.py', 'b.py']);
  });

  it('fails with NOT_A_REPO outside a git repository', async () => {
    const box = await sandbox();
    await expect(listTrackedFiles(box.root, box.env)).rejects.toMatchObject({ code: 'NOT_A_REPO' });
  });
});

describe('findBindingFiles', () => {
  const candidate = { domain: 'aperture', contract: 'required-s3-permissions', value: RFC_VALUE };

  it("finds fungal's IAM stack as the binding of aperture's export", async () => {
    const { ctx, repo } = await repoOf(await fixtureTree('fungal-image-analysis'));
    const unrelated = { domain: 'billing', contract: 'invoice-topic', value: 'arn:aws:sns:us-west-2:1:invoices' };
    expect(await findBindingFiles(ctx, repo, [candidate, unrelated])).toEqual([{ domain: 'aperture', contract: 'required-s3-permissions', file: STACK, missing: [] }]);
  });

  it('still finds a binding that lacks a path, and names what it lacks', async () => {
    const tree = await fixtureTree('fungal-image-analysis');
    const stack = tree[STACK] ?? '';
    tree[STACK] = stack.split('\n').filter((line) => !line.includes('training-runs/*')).join('\n');
    const { ctx, repo } = await repoOf(tree);
    expect(await findBindingFiles(ctx, repo, [candidate])).toEqual([{ domain: 'aperture', contract: 'required-s3-permissions', file: STACK, missing: ['training-runs/*'] }]);
  });

  it('needs at least half of the leaf strings, prefers the file with most, and ignores .blue/', async () => {
    const { ctx, repo } = await repoOf({
      'notes.py': '"jobs/*/masks/*" "training-runs/*"\n',
      'policy.py': '"jobs/*/masks/*" "training-runs/*" "jobs/*/*/config.json"\n',
      '.blue/exports.yaml': RFC_VALUE.read.join('\n'),
    });
    expect(await findBindingFiles(ctx, repo, [candidate])).toEqual([
      { domain: 'aperture', contract: 'required-s3-permissions', file: 'policy.py', missing: ['jobs/*/*/manifest.json', 'training-metrics/*'] },
    ]);
    const { ctx: other, repo: sparse } = await repoOf({ 'policy.py': '"jobs/*/masks/*" "training-runs/*"\n' });
    expect(await findBindingFiles(other, sparse, [candidate])).toEqual([]);
  });
});

describe('command detector', () => {
  const node = (script: string): string[] => [process.execPath, '-e', script];

  /** Runs the detector after trusting its exact command in `repo`, as `blue trust allow` would record it. */
  async function detectTrusted(ctx: BlueContext, repo: string, rule: DetectRule): Promise<DetectedValue> {
    if (rule.kind === 'command') {
      const record = { repo: await realpath(repo), command: rule.command, sha256: commandDigest(rule.command), trusted_at: '2026-01-01T00:00:00Z' };
      await writeYamlFile('trust', join(ctx.home, 'trust.yaml'), { trusted: [record] });
    }
    return detectExportValue(ctx, repo, rule);
  }

  it('runs nothing the user has not trusted: COMMAND_UNTRUSTED, and a changed argument is untrusted again', async () => {
    const { box, ctx, repo } = await repoOf({ 'a.txt': 'a' });
    const marker = join(box.root, 'ran');
    const command = ['sh', '-c', `touch '${marker}'; echo 1`];
    await expect(detectExportValue(ctx, repo, { kind: 'command', command })).rejects.toMatchObject({ code: 'COMMAND_UNTRUSTED', message: expect.stringContaining(`touch '\\''${marker}'`) });
    await expect(access(marker)).rejects.toThrow();
    await detectTrusted(ctx, repo, { kind: 'command', command });
    await access(marker);
    await expect(detectExportValue(ctx, repo, { kind: 'command', command: [...command, 'extra'] })).rejects.toMatchObject({ code: 'COMMAND_UNTRUSTED' });
  });

  it('parses the command stdout as the value, run in the repo with the context env', async () => {
    const { ctx, repo } = await repoOf({ 'version.txt': '2.4.0\n' });
    const script = "const fs = require('fs'); console.log(JSON.stringify({ version: fs.readFileSync('version.txt', 'utf8').trim(), env: process.env.DETECT_ME }))";
    const detected = await detectTrusted({ ...ctx, env: { ...ctx.env, DETECT_ME: 'yes' } }, repo, { kind: 'command', command: node(script) });
    expect(detected.value).toEqual({ version: '2.4.0', env: 'yes' });
    expect(detected.schema).toMatchObject({ type: 'object', properties: { version: { type: 'string' } } });
  });

  it('rejects stdout that is not JSON, naming the command', async () => {
    const { ctx, repo } = await repoOf({ 'a.txt': 'a' });
    await expect(detectTrusted(ctx, repo, { kind: 'command', command: node("console.log('not json')") })).rejects.toMatchObject({
      code: 'VALUE_INVALID',
      message: expect.stringContaining('did not print JSON'),
      hint: expect.stringContaining(process.execPath),
    });
    await expect(detectTrusted(ctx, repo, { kind: 'command', command: node('') })).rejects.toMatchObject({ code: 'VALUE_INVALID', message: expect.stringContaining('printed nothing') });
  });

  it('reports a non-zero exit with its stderr, secrets redacted', async () => {
    const { ctx, repo } = await repoOf({ 'a.txt': 'a' });
    const script = "console.error('fetch https://bot:hunter22@git.example.com failed'); process.exit(3)";
    const error = await detectTrusted(ctx, repo, { kind: 'command', command: node(script) }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'VALUE_INVALID', message: expect.stringContaining('exited with code 3') });
    expect((error as Error).message).toContain('https://***@git.example.com');
    expect((error as Error).message).not.toContain('hunter22');
  });

  it('reports a command that cannot be started', async () => {
    const { ctx, repo } = await repoOf({ 'a.txt': 'a' });
    await expect(detectTrusted(ctx, repo, { kind: 'command', command: ['./no-such-detector'] })).rejects.toMatchObject({ code: 'VALUE_INVALID', message: expect.stringContaining('could not be started') });
  });

  it('stops a command (and what it started) at its timeout', async () => {
    const { ctx, repo } = await repoOf({ 'a.txt': 'a' });
    const started = Date.now();
    await expect(detectTrusted(ctx, repo, { kind: 'command', command: ['sh', '-c', 'sleep 20; echo 1'], timeout_ms: 300 })).rejects.toMatchObject({
      code: 'VALUE_INVALID',
      message: expect.stringContaining('did not finish within 300 ms'),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
