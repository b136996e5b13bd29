import { chmod, mkdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrno } from '@blue/core';
import { createContext, detectExportValue, findBindingFiles, readTrackedSources, type BlueContext, type DetectedValue } from '@blue/realm';
import { git, gitRepo, sandbox, verifies, writeTree, type Sandbox } from '@blue/testkit';

/** Where the s3-paths findings are cached (see packages/realm/src/detect/s3-scan.ts). */
const CACHE = '.git/blue/detect-s3-paths.json';
const RULE = { kind: 's3-paths' } as const;

const TREE = {
  'app/load.py': 'def load(job):\n    return storage.read_json(f"s3://data/in/{job}/config.json")\n',
  'app/save.py': 'def save(job, path):\n    storage.upload_file(path, f"s3://data/out/{job}/result.json")\n',
  'app/plain.py': 'VALUE = 1\n',
  'conf/settings.yaml': 'input: s3://data/conf/settings.yaml\n',
  'docs/README.md': 'Results land in s3://data/out/ (documentation is not code).\n',
  'gone.py': 'storage.read_json("s3://data/gone/a.json")\n',
  'untrack.py': 'storage.read_json("s3://data/untracked-later/a.json")\n',
};

interface Scene {
  box: Sandbox;
  ctx: BlueContext;
  repo: string;
}

async function scene(tree: Record<string, string> = TREE): Promise<Scene> {
  const box = await sandbox();
  const repo = await gitRepo(box, tree);
  return { box, ctx: createContext({ cwd: repo, env: box.env }), repo };
}

async function detect({ ctx, repo }: Scene): Promise<DetectedValue> {
  return detectExportValue(ctx, repo, RULE);
}

async function readCache(repo: string): Promise<string | undefined> {
  try {
    return await readFile(join(repo, CACHE), 'utf8');
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** Detection with no cache (as in a fresh clone); the warm cache is put back afterwards. */
async function detectCold(s: Scene): Promise<DetectedValue> {
  const saved = await readCache(s.repo);
  await rm(join(s.repo, CACHE), { force: true });
  try {
    return await detect(s);
  } finally {
    if (saved === undefined) await rm(join(s.repo, CACHE), { force: true });
    else await writeFile(join(s.repo, CACHE), saved);
  }
}

/** A warm run (from the cache the previous run left) gives exactly what a cold run gives. */
async function expectWarmEqualsCold(s: Scene): Promise<DetectedValue> {
  expect(await readCache(s.repo)).toBeDefined();
  const warm = await detect(s);
  expect(warm).toEqual(await detectCold(s));
  return warm;
}

const keys = (detected: DetectedValue): { read: string[]; write: string[] } => detected.value as { read: string[]; write: string[] };

describe('s3-paths detection cache', () => {
  verifies('status-detects-export-changes', 'a warm run equals a cold one after edits, additions, deletions, commits and resets', async () => {
    const s = await scene();
    const { box, repo } = s;
    const first = await detect(s);
    expect(keys(first)).toEqual({ read: ['data/conf/settings.yaml', 'data/gone/a.json', 'data/in/*/config.json', 'data/untracked-later/a.json'], write: ['data/out/*/result.json'] });
    expect(await expectWarmEqualsCold(s)).toEqual(first);

    // An unstaged edit.
    await writeFile(join(repo, 'app/plain.py'), 'VALUE = 1\nstorage.upload_file(p, "s3://data/plain/new.json")\n');
    expect(keys(await expectWarmEqualsCold(s))).toMatchObject({ write: ['data/out/*/result.json', 'data/plain/new.json'] });
    // Reverted: git sees nothing changed now, but the last run read the edit.
    await git(box, repo, ['checkout', '--quiet', '--', 'app/plain.py']);
    expect(await expectWarmEqualsCold(s)).toEqual(first);
    await writeFile(join(repo, 'app/plain.py'), 'VALUE = 1\nstorage.upload_file(p, "s3://data/plain/new.json")\n');
    await expectWarmEqualsCold(s);

    // A new tracked file (staged) and an untracked one, which never counts.
    await writeTree(repo, { 'lib/new.py': 'storage.read_json("s3://data/new/x.json")\n', 'scratch.py': 'storage.read_json("s3://data/scratch/x.json")\n' });
    await git(box, repo, ['add', 'lib/new.py']);
    const added = await expectWarmEqualsCold(s);
    expect(added.findings?.map((f) => f.file)).toContain('lib/new.py');
    expect(added.findings?.map((f) => f.file)).not.toContain('scratch.py');

    // A file deleted from the worktree, and one removed from the index but left on disk (untracked now).
    await rm(join(repo, 'gone.py'));
    await git(box, repo, ['rm', '--quiet', '--cached', 'untrack.py']);
    const removed = await expectWarmEqualsCold(s);
    expect(removed.findings?.map((f) => f.file)).not.toContain('gone.py');
    expect(removed.findings?.map((f) => f.file)).not.toContain('untrack.py');

    // HEAD moves: commit all of it (the deletion included), then edit a committed file.
    await git(box, repo, ['add', 'app/plain.py', 'gone.py']);
    await git(box, repo, ['commit', '--quiet', '-m', 'second']);
    await expectWarmEqualsCold(s);
    await writeFile(join(repo, 'app/load.py'), 'def load(job):\n    return None\n');
    await git(box, repo, ['commit', '--quiet', '-am', 'third']);
    expect(keys(await expectWarmEqualsCold(s)).read).not.toContain('data/in/*/config.json');

    // HEAD moves back to an older tree, worktree included.
    await git(box, repo, ['reset', '--quiet', '--hard', 'HEAD~2']);
    expect(await expectWarmEqualsCold(s)).toEqual(first);

    // Same content with a new mtime (git lists it until its stat data is refreshed), a mode change.
    const later = new Date(Date.now() + 5000);
    await utimes(join(repo, 'app/save.py'), later, later);
    await chmod(join(repo, 'app/load.py'), 0o755);
    expect(await expectWarmEqualsCold(s)).toEqual(first);
  });

  it('answers unchanged files from the cache and reads a changed one again', async () => {
    const s = await scene();
    await detect(s);
    // Rewrite a cached finding: valid cache, so an unchanged file is answered from it.
    const text = (await readCache(s.repo)) ?? '';
    await writeFile(join(s.repo, CACHE), text.replace('"in/*/config.json"', '"from-cache/*"'));
    expect(keys(await detect(s)).read).toContain('data/from-cache/*');
    // Touching the file makes git list it: it is read again.
    const later = new Date(Date.now() + 5000);
    await utimes(join(s.repo, 'app/load.py'), later, later);
    const again = keys(await detect(s)).read;
    expect(again).toContain('data/in/*/config.json');
    expect(again).not.toContain('data/from-cache/*');
  });

  it('ignores a corrupt, foreign or stale cache file and rewrites it', async () => {
    const s = await scene();
    const cold = await detect(s);
    const valid = (await readCache(s.repo)) ?? '';
    const doc = JSON.parse(valid) as Record<string, unknown>;
    const tree = await git(s.box, s.repo, ['rev-parse', 'HEAD^{tree}']);
    const tampered = valid.replace('"in/*/config.json"', '"tampered/*"');
    const broken = [
      '',
      valid.slice(0, valid.length / 2),
      'null',
      '[]',
      JSON.stringify({ ...doc, format: 'something-else' }),
      JSON.stringify({ ...doc, scanner: '@blue/core@0.0.0-old+1' }),
      JSON.stringify({ ...doc, prefix: 'sub/' }),
      JSON.stringify({ ...doc, tree: '--output=/tmp/x' }),
      JSON.stringify({ ...doc, dirty: { '../outside.py': '100644' } }),
      JSON.stringify({ ...doc, files: { 'app/load.py': [['data', 'in/x', 'delete', 2]] } }),
      JSON.stringify({ ...doc, files: { 'app/load.py': [['data', 'in/x', 'read', 0]] } }),
      // Well formed, but keyed on a tree this repository does not have: not trusted either.
      tampered.replace(tree, 'f'.repeat(40)),
    ];
    for (const text of broken) {
      await writeFile(join(s.repo, CACHE), text);
      expect(await detect(s)).toEqual(cold);
      expect(await readCache(s.repo)).toBe(valid);
    }
    // A folder where the file should be: detection still works.
    await rm(join(s.repo, CACHE));
    await mkdir(join(s.repo, CACHE));
    expect(await detect(s)).toEqual(cold);
  });

  it('keeps the cache inside the git dir: the worktree stays clean', async () => {
    const s = await scene();
    await detect(s);
    expect(await readCache(s.repo)).toContain('"format":"blue-detect-s3-paths"');
    expect(await git(s.box, s.repo, ['status', '--porcelain', '--untracked-files=all', '--ignored'])).toBe('');
  });

  it('gives a linked worktree its own cache', async () => {
    const s = await scene();
    await detect(s);
    const other = join(s.box.root, 'linked');
    await git(s.box, s.repo, ['worktree', 'add', '--quiet', '-b', 'feat', other]);
    await writeFile(join(other, 'app/plain.py'), 'storage.read_json("s3://data/linked/x.json")\n');
    const linked: Scene = { ...s, ctx: createContext({ cwd: other, env: s.box.env }), repo: other };
    const found = await detect(linked);
    expect(keys(found).read).toContain('data/linked/x.json');
    expect(await readFile(join(s.repo, '.git/worktrees/linked/blue/detect-s3-paths.json'), 'utf8')).toContain('"app/plain.py"');
    expect(keys(await detect(s)).read).not.toContain('data/linked/x.json');
    expect(await detect(linked)).toEqual(found);
  });

  it('works before the first commit, without a cache', async () => {
    const box = await sandbox();
    const repo = await gitRepo(box, {}, { commit: false });
    await writeTree(repo, { 'a.py': 'storage.read_json("s3://data/a.json")\n' });
    await git(box, repo, ['add', 'a.py']);
    const s: Scene = { box, ctx: createContext({ cwd: repo, env: box.env }), repo };
    expect((await detect(s)).value).toEqual({ read: ['data/a.json'], write: [] });
    expect(await readCache(repo)).toBeUndefined();
  });
});

describe('which tracked files detection reads', () => {
  it('never follows a symlink, tracked or in place of a folder, and equals cold when warm', async () => {
    const s = await scene({ 'a.py': 'storage.read_json("s3://data/a.json")\n', 'conf/x.yaml': 'path: s3://data/conf.yaml\n' });
    const { box, repo } = s;
    await writeTree(box.root, { 'outside/secret.py': 'storage.read_json("s3://private/secret.json")\n', 'outside/x.yaml': 'path: s3://private/conf.yaml\n' });
    // A tracked symlink to a file outside the repository.
    await symlink(join(box.root, 'outside/secret.py'), join(repo, 'link.py'));
    await git(box, repo, ['add', 'link.py']);
    await git(box, repo, ['commit', '--quiet', '-m', 'link']);
    expect((await detect(s)).value).toEqual({ read: ['data/a.json', 'data/conf.yaml'], write: [] });
    // A tracked folder replaced by a symlink to one outside: git sees its files as deleted.
    await rename(join(repo, 'conf'), join(box.root, 'conf-moved'));
    await symlink(join(box.root, 'outside'), join(repo, 'conf'));
    const warm = await expectWarmEqualsCold(s);
    expect(warm.value).toEqual({ read: ['data/a.json'], write: [] });
    await rm(join(s.repo, CACHE));
    expect((await readTrackedSources(repo, box.env)).map((source) => source.path)).toEqual(['a.py']);
    expect((await readTrackedSources(repo, box.env, { mustContain: 's3://' })).map((source) => source.path)).toEqual(['a.py']);
  });

  it('skips the files of a tracked folder replaced by a file (git cannot stat them either)', async () => {
    const s = await scene({ 'a.py': 'storage.read_json("s3://data/a.json")\n', 'nested/deep.py': 'storage.read_json("s3://data/deep.json")\n' });
    expect(keys(await detect(s)).read).toEqual(['data/a.json', 'data/deep.json']);
    await rm(join(s.repo, 'nested'), { recursive: true });
    await writeFile(join(s.repo, 'nested'), 'storage.read_json("s3://data/not-tracked.json")\n');
    expect(keys(await expectWarmEqualsCold(s)).read).toEqual(['data/a.json']);
  });

  it('finds a binding through git grep, also for a leaf string spanning lines', async () => {
    const s = await scene({ 'policy.py': 'PATHS = """jobs/*\nmasks/*"""\nOTHER = "training-runs/*"\n', 'unrelated.py': 'x = 1\n' });
    const candidate = { domain: 'aperture', contract: 'paths', value: ['jobs/*\nmasks/*', 'training-runs/*', 'absent/*'] };
    expect(await findBindingFiles(s.ctx, s.repo, [candidate])).toEqual([{ domain: 'aperture', contract: 'paths', file: 'policy.py', missing: ['absent/*'] }]);
  });

  it('reads text a .gitattributes calls binary, like it always did', async () => {
    const s = await scene({ '.gitattributes': '*.cfg binary\n', 'job.cfg': 'input = s3://data/job.csv\n' });
    expect((await detect(s)).value).toEqual({ read: ['data/job.csv'], write: [] });
  });
});
