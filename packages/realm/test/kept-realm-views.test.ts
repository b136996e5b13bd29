import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, spawnMcp, runBlue, letemcookScenario, sandbox, verifies } from '@blue/testkit';
import { ParsedBlobCache } from '@blue/core';
import { bindGit } from '@blue/git';
import { KeptRealmViews } from '../src/store/kept-realm-views.js';
import { readRealmSnapshot } from '../src/store/realm-files.js';
import { letemcook } from './helpers.js';

// Issue 25: a long-lived process (blue-mcp) keeps its realm snapshot while the clone does not
// change, re-reads when it does (HEAD moved, or any file under domains/ written), and then parses
// only the domains whose blob ids changed. What it hands out is always what the files say.

describe('kept realm views', () => {
  verifies('realm-files-by-blob', 'a kept snapshot is handed out again while nothing changed, and follows a hand edit, its undoing, a commit and a new domain; unchanged domains are reused, never re-parsed', async () => {
    const { box, realm } = await letemcook({ join: true });
    const views = new KeptRealmViews();
    const blobs = { cache: new ParsedBlobCache(), git: bindGit(box.env).options };
    const exact = () => readRealmSnapshot(realm);
    try {
      await views.read(realm, blobs); // first read: starts watching every domain folder, keeps nothing yet
      const kept = await views.read(realm, blobs);
      expect(kept).toEqual(await exact());
      expect(await views.read(realm, blobs)).toBe(kept);
      // Shared between callers, so frozen: a caller that changes it fails loudly.
      expect(() => (kept.domains[0]?.exports as unknown[]).push({})).toThrow(TypeError);

      // A hand edit in the clone (HEAD does not move): seen by the very next read, from the worktree.
      const file = join(realm, 'domains/aperture/exports.yaml');
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace(/version: 1\.0\.0/g, 'version: 1.0.7'));
      const edited = await views.read(realm, blobs);
      expect(edited.domains.find((d) => d.name === 'aperture')?.exports[0]?.version).toBe('1.0.7');
      expect(edited).toEqual(await exact());
      await git(box, realm, ['checkout', '-q', '--', 'domains/aperture/exports.yaml']);
      const undone = await views.read(realm, blobs);
      expect(undone).toEqual(kept);
      expect(await views.read(realm, blobs)).toBe(undone);

      // A commit by another process changing one domain: the other domain's parsed snapshot is reused.
      const fungalImports = join(realm, 'domains/fungal-image-analysis/imports.yaml');
      await writeFile(fungalImports, (await readFile(fungalImports, 'utf8')).replace('^1.0.0', '^1.0.0 || ^2.0.0'));
      await git(box, realm, ['commit', '-qam', 'fungal widens its range']);
      const committed = await views.read(realm, blobs);
      expect(committed).toEqual(await exact());
      expect(committed.domains.find((d) => d.name === 'fungal-image-analysis')?.imports[0]?.version).toBe('^1.0.0 || ^2.0.0');
      expect(committed.domains.find((d) => d.name === 'aperture')).toBe(undone.domains.find((d) => d.name === 'aperture'));

      // A new domain folder, committed: listed, and watched from then on.
      await mkdir(join(realm, 'domains/newcomer'));
      await writeFile(join(realm, 'domains/newcomer/domain.yaml'), 'name: newcomer\nmaintainers: [eve@example.com]\njoined_at: 2026-01-01T00:00:00Z\n');
      await git(box, realm, ['add', '--all']);
      await git(box, realm, ['commit', '-qm', 'newcomer joins']);
      expect((await views.read(realm, blobs)).domains.map((d) => d.name)).toEqual(['aperture', 'fungal-image-analysis', 'newcomer']);
      const withNewcomer = await views.read(realm, blobs);
      await writeFile(join(realm, 'domains/newcomer/domain.yaml'), 'name: newcomer\nmaintainers: [mallory@example.com]\njoined_at: 2026-01-01T00:00:00Z\n');
      const renamed = await views.read(realm, blobs);
      expect(renamed).not.toBe(withNewcomer);
      expect(renamed.domains.find((d) => d.name === 'newcomer')?.domain.maintainers).toEqual(['mallory@example.com']);
      expect(renamed).toEqual(await exact());
    } finally {
      views.close();
    }
    // Closed: every read reads the files again.
    expect(await views.read(realm, blobs)).toEqual(await exact());
  });

  verifies('realm-files-by-blob', 'blue-mcp answers blue_status from its kept snapshot and sees another process\'s sync and a hand edit of the realm clone on the next call', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    const { client } = await spawnMcp(box, { cwd: s.fungal.dir });
    const status = async () => {
      const r = await client.callTool({ name: 'blue_status', arguments: {} });
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      return r.structuredContent as { imports: Array<{ status: string; available?: string }>; exports: unknown[] };
    };
    const cli = async () => JSON.parse((await runBlue(box, ['status', '--json', '--offline'], { cwd: s.fungal.dir })).stdout) as { imports: unknown[] };
    const first = await status();
    expect((await status()).imports).toEqual(first.imports);
    // aperture publishes 1.1.0 from its own process: the next call sees it.
    await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}")\n');
    await git(box, s.aperture.dir, ['add', '--all']);
    await git(box, s.aperture.dir, ['commit', '-qm', 'experiments']);
    expect((await runBlue(box, ['realm', 'sync', '--no-notify'], { cwd: s.aperture.dir })).exitCode).toBe(0);
    const after = await status();
    expect(after.imports[0]).toMatchObject({ available: '1.1.0' });
    expect(after.imports).toEqual((await cli()).imports);
    // Someone edits the realm clone by hand (not committed): the next call reads what is there.
    const exportsFile = join(s.realm, 'domains/aperture/exports.yaml');
    await writeFile(exportsFile, (await readFile(exportsFile, 'utf8')).replace(/version: 1\.1\.0/g, 'version: 1.2.0'));
    const edited = await status();
    expect(edited.imports[0]).toMatchObject({ available: '1.2.0' });
    expect(edited.imports).toEqual((await cli()).imports);
  });
});
