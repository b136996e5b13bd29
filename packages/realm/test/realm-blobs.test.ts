import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, runBlue, sandbox, letemcookScenario, verifies } from '@blue/testkit';
import { ParsedBlobCache } from '@blue/core';
import { bindGit } from '@blue/git';
import { createContext, syncRealm } from '@blue/realm';
import { readRealmLeniently } from '../src/check-files.js';
import type { CheckFinding } from '../src/check-realm.js';
import { BLOB_READING_MIN_DOMAINS, readRealmSnapshot, type BlobReading } from '../src/store/realm-files.js';
import { headDomainFiles, parseDomainListing } from '../src/store/realm-head-files.js';
import { loadBlobCache } from '../src/store/blob-cache-file.js';
import { writeRealm } from '../src/store/realm-gate.js';
import { addSyntheticDomains, commitFile, ctxIn, EXPERIMENTS, letemcook, NOW, sharedRealm } from './helpers.js';

// Issue 25: readers read a clean realm clone by blob id, and remember parsed files by blob id in
// BLUE_HOME. The results must never differ from reading every file of the worktree.

describe('realm files by blob id', () => {
  verifies('realm-files-by-blob', 'a clean clone read by blob id equals the file-by-file reading, cold and warm; tampered, corrupt or other-version entries are not used; an uncommitted, untracked or ignored file falls back to the worktree', async () => {
    const { box, realm, aperture } = await letemcook({ join: true });
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const gitOptions = bindGit(box.env).options;
    const exact = () => readRealmSnapshot(realm);
    const cache = new ParsedBlobCache();
    const byBlob = () => readRealmSnapshot(realm, { cache, git: gitOptions, minDomains: 0 });
    const want = await exact();
    expect(want.domains.map((d) => d.name)).toEqual(['aperture', 'fungal-image-analysis']);
    expect(await byBlob()).toEqual(want);
    expect(cache.size).toBe(4); // two domain.yaml, aperture's exports.yaml, fungal's imports.yaml
    expect(cache.changed).toBe(true);
    const saved = cache.saved();
    expect(await byBlob()).toEqual(want);
    expect(cache.changed).toBe(false); // warm: nothing parsed

    // A saved entry is what answers (here altered on purpose, still a valid file: proof it is used) ...
    const exportsKey = Object.keys(saved.entries).find((k) => k.startsWith('realm-exports:')) ?? '';
    const altered = JSON.parse(saved.entries[exportsKey] ?? '') as { exports: Array<{ version: string }> };
    altered.exports[0]!.version = '9.9.9';
    cache.clear();
    cache.load({ ...saved, entries: { ...saved.entries, [exportsKey]: JSON.stringify(altered) } });
    expect((await byBlob()).domains[0]?.exports[0]?.version).toBe('9.9.9');
    // ... a corrupt one (not a valid file of its kind) is parsed again and rewritten; another salt or garbage is ignored.
    const corrupt = (entry: unknown) => ({ ...saved, entries: { ...saved.entries, [exportsKey]: entry } });
    for (const bad of [corrupt(JSON.stringify({ exports: 'nope' })), corrupt('{not json'), corrupt({ exports: [] }), { ...saved, salt: 'other' }, 'garbage', null, { salt: saved.salt, entries: [] }]) {
      cache.clear();
      cache.load(bad);
      expect(await byBlob()).toEqual(want);
    }
    expect(cache.changed).toBe(true);

    // The worktree differs from HEAD: read file by file (the reader sees exactly what is there).
    const file = join(realm, 'domains/aperture/exports.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/version: 1\.0\.0/g, 'version: 1.0.7'));
    expect(await byBlob()).toEqual(await exact());
    expect((await byBlob()).domains[0]?.exports[0]?.version).toBe('1.0.7');
    await git(box, realm, ['checkout', '-q', '--', 'domains/aperture/exports.yaml']);
    expect(await byBlob()).toEqual(want);
    // An untracked file, then an ignored one, under domains/: the same answer (by the worktree).
    expect(await headDomainFiles(realm, gitOptions)).toBeDefined();
    await writeFile(join(realm, 'domains/aperture/notes.txt'), 'x: 1\n');
    expect(await headDomainFiles(realm, gitOptions)).toBeUndefined();
    expect(await byBlob()).toEqual(want);
    await writeFile(join(realm, '.git/info/exclude'), '*.tmp\n');
    await git(box, realm, ['clean', '-qfx', '--', 'domains']);
    await writeFile(join(realm, 'domains/aperture/draft.tmp'), 'x: 1\n');
    expect(await git(box, realm, ['status', '--porcelain', '--ignored'])).toContain('draft.tmp');
    expect(await headDomainFiles(realm, gitOptions)).toBeUndefined();
    expect(await byBlob()).toEqual(want);
  });

  verifies('realm-files-by-blob', 'check reads a clean clone by blob id with the same findings as file by file: invalid files, a bad folder name, a folder without domain.yaml', async () => {
    const { box, realm } = await letemcook({ join: true });
    await mkdir(join(realm, 'domains/Bad_Name'));
    await mkdir(join(realm, 'domains/no-domain-file/docs'), { recursive: true });
    await writeFile(join(realm, 'domains/Bad_Name/domain.yaml'), 'name: Bad_Name\n');
    await writeFile(join(realm, 'domains/no-domain-file/docs/notes.md'), 'notes\n');
    await writeFile(join(realm, 'domains/fungal-image-analysis/imports.yaml'), 'imports: [\n');
    await writeFile(join(realm, 'domains/aperture/exports.yaml'), 'exports: 5\n');
    await git(box, realm, ['add', '--all']);
    await git(box, realm, ['commit', '-qm', 'broken on purpose']);
    const lenient = async (blobs?: BlobReading) => {
      const findings: CheckFinding[] = [];
      const read = await readRealmLeniently(realm, findings, blobs);
      return { ...read, findings };
    };
    const want = await lenient();
    expect(want.findings.map((f) => f.file)).toEqual(['domains/Bad_Name', 'domains/aperture/exports.yaml', 'domains/fungal-image-analysis/imports.yaml', 'domains/no-domain-file/domain.yaml']);
    const blobs = { cache: new ParsedBlobCache(), git: bindGit(box.env).options, minDomains: 0 };
    expect(await headDomainFiles(realm, blobs.git)).toBeDefined();
    expect(await lenient(blobs)).toEqual(want);
    expect(blobs.cache.size).toBe(2); // the two valid domain.yaml files; invalid files are never remembered
    expect(await lenient(blobs)).toEqual(want);
  });

  verifies('realm-files-by-blob', 'ls-tree entries the blob reading does not handle (symlinks, submodules, a folder named like a domain file) send the reader back to the worktree', () => {
    const blob = (mode: string, path: string) => `${mode} blob ${'a'.repeat(40)}\t${path}`;
    expect(parseDomainListing([blob('100644', 'domains/a/domain.yaml'), blob('100755', 'domains/a/imports.yaml'), blob('100644', 'domains/a/notes.md'), blob('100644', 'domains/README.md')].join('\0'))?.get('a'))
      .toEqual(new Map([['domain.yaml', 'a'.repeat(40)], ['imports.yaml', 'a'.repeat(40)]]));
    expect(parseDomainListing(blob('120000', 'domains/a/domain.yaml'))).toBeUndefined();
    expect(parseDomainListing(blob('120000', 'domains/a'))).toBeUndefined();
    expect(parseDomainListing(`160000 commit ${'b'.repeat(40)}\tdomains/a`)).toBeUndefined();
    expect(parseDomainListing(blob('100644', 'domains/a/domain.yaml/x'))).toBeUndefined();
    expect(parseDomainListing(blob('120000', 'domains'))).toBeUndefined();
    expect(parseDomainListing('')?.size).toBe(0);
  });

  verifies('realm-files-by-blob', 'blue status --json is the same with BLUE_HOME\'s blob cache of its neighbourhood empty, warm, corrupt and from another version', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    // Big enough to be read by blob id (BLOB_READING_MIN_DOMAINS): synthetic domains beside the scenario's two.
    for (let i = 0; i < BLOB_READING_MIN_DOMAINS; i++) {
      const name = `extra-${String(i).padStart(3, '0')}`;
      await mkdir(join(s.realm, 'domains', name));
      await writeFile(join(s.realm, 'domains', name, 'domain.yaml'), `name: ${name}\nmaintainers: [eric@example.com]\njoined_at: 2026-01-01T00:00:00Z\n`);
    }
    await git(box, s.realm, ['add', '--all']);
    await git(box, s.realm, ['commit', '-qm', 'more domains']);
    const status = async () => {
      const r = await runBlue(box, ['status', '--json', '--offline'], { cwd: s.fungal.dir });
      expect(r.exitCode, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as unknown;
    };
    // Status keeps the files of its neighbourhood in a cache of their own (the whole realm's is loaded only to build a tree's index).
    const cacheFile = join(box.env.BLUE_HOME ?? '', 'cache', 'realm-blobs-near.json');
    const cold = await status();
    const saved = JSON.parse(await readFile(cacheFile, 'utf8')) as { salt: string; entries: Record<string, string> };
    // Status reads its neighbourhood only (issue 25): the two domains' files, none of the 100 others'.
    expect(Object.keys(saved.entries)).toHaveLength(4);
    expect(await status()).toEqual(cold);
    for (const bad of ['{not json', JSON.stringify({ ...saved, salt: 'realm-blobs@0' }), JSON.stringify({ ...saved, entries: Object.fromEntries(Object.keys(saved.entries).map((k) => [k, '{"broken":true}'])) })]) {
      await writeFile(cacheFile, bad);
      expect(await status()).toEqual(cold);
      expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toEqual(saved);
    }
  }, 60_000);

  verifies('realm-files-by-blob', "the realm gate's writer reads by blob id after its pull: it sees what another clone pushed, equals the file-by-file reading, takes a known blob from the cache, and an ignored file under domains/ sends it back to the worktree", async () => {
    const { box, realm, fungalRealm, aperture } = await sharedRealm();
    // Pushed from the other clone: aperture's clone has not pulled these domains yet.
    await addSyntheticDomains(box, fungalRealm, 3, { push: true });
    const ctx = ctxIn(box, aperture.dir);
    // The suite's sandbox has every read checked against the files (BLUE_TEST_VERIFY_CACHE=1); `unchecked` reads the cache's way only.
    const unchecked = createContext({ cwd: aperture.dir, env: { ...box.env, BLUE_TEST_VERIFY_CACHE: undefined }, now: () => NOW });
    const writerRead = async (as = ctx) => (await writeRealm(as, realm, { command: 'test: read as the writer', publish: false }, () => ({ value: undefined }))).snapshot;
    const cold = await writerRead();
    expect(cold.domains).toHaveLength(5);
    expect(cold).toEqual(await readRealmSnapshot(realm));
    const saved = JSON.parse(await readFile(join(ctx.home, 'cache', 'realm-blobs.json'), 'utf8')) as { entries: Record<string, string> };
    const extra = await git(box, realm, ['rev-parse', 'HEAD:domains/extra-000/domain.yaml']);
    expect(Object.keys(saved.entries)).toContain(`domain:${extra}`);
    expect(await writerRead()).toEqual(cold);

    // Proof that a known blob is taken from the cache, not the worktree: an altered (still valid) entry answers.
    const cache = await loadBlobCache(ctx.home);
    const original = cache.get('domain', extra);
    cache.set('domain', extra, { ...original!, maintainers: ['proof@example.com'] });
    expect((await writerRead(unchecked)).domains.find((d) => d.name === 'extra-000')?.domain.maintainers).toEqual(['proof@example.com']);
    // And the suite's check catches a cache that differs from the files.
    await expect(writerRead()).rejects.toMatchObject({ code: 'INTERNAL' });
    // An ignored folder under domains/ (a domain git does not track): the worktree, file by file, as it is.
    await writeFile(join(realm, '.git/info/exclude'), 'domains/ghost/\n');
    await mkdir(join(realm, 'domains/ghost'));
    await writeFile(join(realm, 'domains/ghost/domain.yaml'), 'name: ghost\nmaintainers: [ghost@example.com]\njoined_at: 2026-01-01T00:00:00Z\n');
    const fallback = await writerRead(unchecked);
    expect(fallback.domains.map((d) => d.name)).toContain('ghost');
    expect(fallback.domains.find((d) => d.name === 'extra-000')?.domain.maintainers).toEqual(['eric@example.com']);
    expect(fallback).toEqual(await readRealmSnapshot(realm));
    await git(box, realm, ['clean', '-qfX', '--', 'domains']);
    cache.set('domain', extra, original!);

    // A sync through the blob-read gate publishes as before and leaves the clone clean, its commit holding only its file.
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const synced = await syncRealm(ctx);
    expect(synced).toMatchObject({ pushed: true, exports: [{ status: 'updated', to_version: '1.1.0', consumers: ['fungal-image-analysis'] }] });
    expect(await git(box, realm, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await git(box, realm, ['show', '--name-only', '--format=', 'HEAD'])).toBe('domains/aperture/exports.yaml');
    // The file it committed is remembered by its blob id, as a reader parses it: the next sync does not parse it.
    const committed = await git(box, realm, ['rev-parse', 'HEAD:domains/aperture/exports.yaml']);
    const after = JSON.parse(await readFile(join(ctx.home, 'cache', 'realm-blobs.json'), 'utf8')) as { entries: Record<string, string> };
    const remembered = after.entries[`realm-exports:${committed}`];
    expect(remembered).toBeDefined();
    expect((JSON.parse(remembered ?? '{}') as { exports: unknown }).exports).toEqual((await readRealmSnapshot(realm)).domains.find((d) => d.name === 'aperture')?.exports);
  }, 60_000);
});
