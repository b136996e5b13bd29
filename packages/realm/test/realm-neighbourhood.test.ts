import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, letemcookScenario, sandbox, verifies } from '@blue/testkit';
import { ParsedBlobCache } from '@blue/core';
import { bindGit } from '@blue/git';
import { createContext } from '@blue/realm';
import { readRealmSnapshot } from '../src/store/realm-files.js';
import { neighbourhoodOf, readNeighbourhoodSnapshot } from '../src/store/realm-neighbourhood.js';
import { readRealmNeighbourhood } from '../src/store/realm-gate.js';

// Issue 25, step 1: `blue status` reads its neighbourhood (its domain, its providers, the domains
// importing from it), found through an index of HEAD's domains/ tree saved in BLUE_HOME. Whatever
// the index holds, the answer must be what the whole realm read file by file says.

const domainYaml = (name: string) => `name: ${name}\nmaintainers: [eric@example.com]\njoined_at: 2026-01-01T00:00:00Z\n`;
const importsYaml = (from: string, contract: string) => `imports:\n  - contract: ${contract}\n    from: ${from}\n    version: ^1.0.0\n    binding: iam/policy.py\n    status: current\n`;

describe('status reads by neighbourhood', () => {
  verifies('status-neighbourhood', 'the neighbourhood read through the tree index equals the whole realm read file by file and narrowed, for a provider, a consumer, an unrelated domain and a non-member; only the neighbourhood is parsed; a corrupt, other-format or other-tree index is ignored and rewritten; a wrong one fails the cache check; a dirty clone reads the whole realm; an invalid file anywhere fails it as the whole read does', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    const home = box.env.BLUE_HOME ?? '';
    const contract = (await readRealmSnapshot(s.realm)).domains.find((d) => d.name === 'aperture')?.exports[0]?.name ?? '';
    expect(contract).not.toBe('');
    // Ten more domains: three import aperture's export (two from a folder sorting before it), one imports fungal, one imports a domain that does not exist.
    for (let i = 0; i < 10; i++) {
      const name = `extra-${i}`;
      await mkdir(join(s.realm, 'domains', name));
      await writeFile(join(s.realm, 'domains', name, 'domain.yaml'), domainYaml(name));
      if (i < 3) await writeFile(join(s.realm, 'domains', name, 'imports.yaml'), importsYaml('aperture', contract));
      if (i === 3) await writeFile(join(s.realm, 'domains', name, 'imports.yaml'), importsYaml('fungal-image-analysis', 'x'));
      if (i === 4) await writeFile(join(s.realm, 'domains', name, 'imports.yaml'), importsYaml('ghost', 'x'));
    }
    // An importer without domain.yaml is not a domain: not a consumer.
    await mkdir(join(s.realm, 'domains', 'aa-no-domain-file'));
    await writeFile(join(s.realm, 'domains', 'aa-no-domain-file', 'imports.yaml'), importsYaml('aperture', contract));
    await git(box, s.realm, ['add', '--all']);
    await git(box, s.realm, ['commit', '-qm', 'more domains']);

    const gitOptions = bindGit(box.env).options;
    const reading = (cache = new ParsedBlobCache()) => ({ cache, full: () => Promise.resolve(new ParsedBlobCache()), git: gitOptions, home, minDomains: 0 });
    const whole = await readRealmSnapshot(s.realm);
    const names = (domain: string) => neighbourhoodOf(whole, domain).domains.map((d) => d.name);
    expect(names('aperture')).toEqual(['aperture', 'extra-0', 'extra-1', 'extra-2', 'fungal-image-analysis']);
    expect(names('fungal-image-analysis')).toEqual(['aperture', 'extra-3', 'fungal-image-analysis']);
    expect(names('extra-7')).toEqual(['extra-7']);
    expect(names('ghost')).toEqual(['extra-4']);
    for (const domain of ['aperture', 'fungal-image-analysis', 'extra-7', 'ghost', 'aa-no-domain-file']) {
      expect(await readNeighbourhoodSnapshot(s.realm, domain, reading())).toEqual(neighbourhoodOf(whole, domain));
    }

    // The index is saved under the tree's id; with it, a cold cache parses only the neighbourhood's files.
    const tree = (await git(box, s.realm, ['rev-parse', 'HEAD:domains'])).trim();
    const indexFile = join(home, 'cache', 'realm-trees', `${tree}.json`);
    const saved = await readFile(indexFile, 'utf8');
    const cache = new ParsedBlobCache();
    expect(await readNeighbourhoodSnapshot(s.realm, 'fungal-image-analysis', reading(cache))).toEqual(neighbourhoodOf(whole, 'fungal-image-analysis'));
    // None of the other domains' files was parsed (the neighbourhood's are, unless this process's file memo already had them).
    const listing = await git(box, s.realm, ['ls-tree', '-r', 'HEAD', '--', 'domains']);
    const outside = listing.split('\n').filter((l) => l !== '' && !/\tdomains\/(fungal-image-analysis|aperture|extra-3)\//.test(l));
    expect(outside.length).toBeGreaterThan(10);
    for (const line of outside) {
      const [, , oid = ''] = line.split('\t')[0]?.split(' ') ?? [];
      for (const kind of ['domain', 'realm-exports', 'imports'] as const) expect(cache.has(kind, oid)).toBe(false);
    }
    expect(cache.size).toBeLessThanOrEqual(6);

    // Corrupt, another format, another tree's, a line that does not read: ignored, the same answer, rewritten.
    const parsed = JSON.parse(saved) as { format: string; tree: string; text: string };
    const bad = [
      '{not json',
      JSON.stringify({ ...parsed, format: 'realm-tree@0' }),
      JSON.stringify({ ...parsed, tree: '0'.repeat(40) }),
      JSON.stringify({ ...parsed, text: parsed.text.replace(/"aperture"\t[0-9a-f]+/, '"aperture"\tzz') }),
      JSON.stringify({ ...parsed, text: parsed.text.replace(/("aperture".*)\[[^\n]*\]\n/, '$1["extra-0",\n') }),
    ];
    for (const text of bad) {
      await writeFile(indexFile, text);
      expect(await readNeighbourhoodSnapshot(s.realm, 'aperture', reading())).toEqual(neighbourhoodOf(whole, 'aperture'));
      expect(await readFile(indexFile, 'utf8')).toBe(saved);
    }

    // A wrong index that reads (an importer left out) is used as it is: the suite's cache check
    // (BLUE_TEST_VERIFY_CACHE=1, set by the sandbox) compares it with the whole realm and fails.
    await writeFile(indexFile, JSON.stringify({ ...parsed, text: parsed.text.replace(/("aperture".*\t)\[[^\n]*\]\n/, '$1["extra-0","extra-1"]\n') }));
    expect((await readNeighbourhoodSnapshot(s.realm, 'aperture', reading()))?.domains.map((d) => d.name)).not.toContain('extra-2');
    const ctx = createContext({ cwd: s.aperture.dir, env: box.env });
    expect(box.env.BLUE_TEST_VERIFY_CACHE).toBe('1');
    await expect(readRealmNeighbourhood(ctx, s.realm, 'aperture')).rejects.toMatchObject({ code: 'INTERNAL' });
    await writeFile(indexFile, saved);
    expect(await readRealmNeighbourhood(ctx, s.realm, 'aperture')).toEqual(neighbourhoodOf(whole, 'aperture'));

    // Uncommitted: extra-7 now imports aperture's export. The clone is not HEAD's: the whole realm is read.
    await writeFile(join(s.realm, 'domains', 'extra-7', 'imports.yaml'), importsYaml('aperture', contract));
    expect(await readNeighbourhoodSnapshot(s.realm, 'aperture', reading())).toBeUndefined();
    expect((await readRealmNeighbourhood(ctx, s.realm, 'aperture')).domains.map((d) => d.name)).toContain('extra-7');
    // Committed: a new tree, a new index beside the old one.
    await git(box, s.realm, ['add', '--all']);
    await git(box, s.realm, ['commit', '-qm', 'extra-7 imports aperture']);
    expect((await readNeighbourhoodSnapshot(s.realm, 'aperture', reading()))?.domains.map((d) => d.name)).toContain('extra-7');
    expect(await readdir(join(home, 'cache', 'realm-trees'))).toHaveLength(2);

    // An invalid file far from aperture (extra-8's exports.yaml), committed: no index is made from
    // that tree, and status fails on it exactly as a whole read does (and as blue-mcp, which keeps
    // the whole realm), though it would never have read that file through an index.
    await writeFile(join(s.realm, 'domains', 'extra-8', 'exports.yaml'), 'exports: [{ name: 7 }]\n');
    await git(box, s.realm, ['add', '--all']);
    await git(box, s.realm, ['commit', '-qm', 'extra-8 breaks its exports']);
    expect(await readNeighbourhoodSnapshot(s.realm, 'aperture', reading())).toBeUndefined();
    expect(await readdir(join(home, 'cache', 'realm-trees'))).toHaveLength(2);
    const failure = await readRealmSnapshot(s.realm).then(() => undefined, (err: unknown) => err as { code: string; message: string });
    expect(failure?.message).toContain('extra-8');
    await expect(readRealmNeighbourhood(ctx, s.realm, 'aperture')).rejects.toMatchObject({ code: failure?.code, message: failure?.message });
  }, 60_000);

  verifies('status-neighbourhood', "status's own blob cache is bounded as it was made: the entries used last are kept, set or loaded", () => {
    const domain = (name: string) => ({ name, maintainers: ['eric@example.com'], joined_at: '2026-01-01T00:00:00Z' });
    const oid = (i: number) => String(i).repeat(40);
    const near = new ParsedBlobCache(2);
    for (const i of [1, 2, 3]) near.set('domain', oid(i), domain(`d${i}`));
    expect([near.has('domain', oid(1)), near.has('domain', oid(2)), near.has('domain', oid(3))]).toEqual([false, true, true]);
    expect(near.get('domain', oid(2))).toEqual(domain('d2'));
    near.set('domain', oid(4), domain('d4'));
    // 2 was used after 3: 3 goes.
    expect(near.has('domain', oid(3))).toBe(false);
    const loaded = new ParsedBlobCache(2);
    loaded.load(new ParsedBlobCache().saved());
    const all = new ParsedBlobCache();
    for (const i of [5, 6, 7]) all.set('domain', oid(i), domain(`d${i}`));
    loaded.load(all.saved());
    expect(loaded.size).toBe(2);
    expect(loaded.get('domain', oid(7))).toEqual(domain('d7'));
  });
});
