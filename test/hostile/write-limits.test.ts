// Hostile (or careless) member corpus: values and messages that would make a file Blue writes
// larger than its own readers accept. VALUE_TOO_LARGE before anything is written or committed.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, runBlue, spawnMcp, verifies } from '@blue/testkit';
import { changes, EXIT, expectRefused, expectToolRefused, sharedScenario, snapshot } from './helpers.js';

/** A JSON value of about `mib` MiB: a list of distinct short strings. */
function bigValue(mib: number): string[] {
  return Array.from({ length: Math.round((mib * 1024 * 1024) / 40) }, (_, i) => `s3://bucket/objects/${String(i).padStart(12, '0')}`);
}

describe('hostile member: Blue never writes what it cannot read back', () => {
  const shared = sharedScenario();

  verifies('writes-readable', 'beside a 5 MiB export, a 3.5 MiB one would make .blue/exports.yaml over 8 MiB: VALUE_TOO_LARGE naming the export (through MCP: no command line holds it), the file unchanged', async () => {
    const { box, s } = shared();
    const repo = s.fungal.dir;
    const exportsFile = join(repo, '.blue/exports.yaml');
    const original = await readFile(exportsFile, 'utf8').catch(() => undefined);
    try {
      // A big value fits no command line: an agent passes it as a tool argument. (`--file` records
      // a file detector now, so the value stays in the file and .blue/exports.yaml stays small.)
      await writeFile(exportsFile, `exports:\n  - name: first-big\n    value: ${JSON.stringify(bigValue(5))}\n`);
      const { client } = await spawnMcp(box);
      const before = await snapshot(box);
      const tool = await client.callTool({ name: 'blue_realm_export', arguments: { name: 'second-big', value: bigValue(3.5), cwd: repo } });
      expect(expectToolRefused(tool, 'VALUE_TOO_LARGE')).toMatch(/Export "(first|second)-big" would make \.blue\/exports\.yaml \d+\.\d MiB; Blue reads files of at most 8\.0 MiB, so nothing was written\./);
      expect(changes(before, await snapshot(box))).toEqual([]);
    } finally {
      if (original === undefined) await rm(exportsFile, { force: true });
      else await writeFile(exportsFile, original);
    }
  }, 120_000);

  verifies('writes-readable', 'sync that would make the realm exports.yaml over 8 MiB (a 5 MiB export still published, a 4 MiB one added): VALUE_TOO_LARGE, no realm commit', async () => {
    const { box, s } = shared();
    const repo = s.fungal.dir;
    const exportsFile = join(repo, '.blue/exports.yaml');
    const original = await readFile(exportsFile, 'utf8').catch(() => undefined);
    const realmHead = await git(box, s.realm, ['rev-parse', 'HEAD']);
    try {
      await writeFile(exportsFile, `exports:\n  - name: old-big\n    value: ${JSON.stringify(bigValue(5))}\n`);
      const first = await runBlue(box, ['realm', 'sync', '--no-notify', '--allow-dirty', '--json'], { cwd: repo, timeoutMs: 60_000 });
      expect(first.exitCode, first.stdout + first.stderr).toBe(0);
      const published = await git(box, s.realm, ['rev-parse', 'HEAD']);
      // The old export is no longer declared (it stays published); a new one is.
      await writeFile(exportsFile, `exports:\n  - name: new-big\n    value: ${JSON.stringify(bigValue(4).map((v) => `${v}-new`))}\n`);
      const before = await snapshot(box);
      const second = await runBlue(box, ['realm', 'sync', '--no-notify', '--allow-dirty', '--json'], { cwd: repo, timeoutMs: 60_000 });
      expect(expectRefused(second, 'VALUE_TOO_LARGE', EXIT.input).message).toMatch(/would make domains\/fungal-image-analysis\/exports\.yaml \d+\.\d MiB/);
      expect(await git(box, s.realm, ['rev-parse', 'HEAD'])).toBe(published);
      expect(await git(box, s.realm, ['status', '--porcelain'])).toBe('');
      expect(changes(before, await snapshot(box))).toEqual([]);
    } finally {
      await git(box, s.realm, ['reset', '-q', '--hard', realmHead]);
      if (original === undefined) await rm(exportsFile, { force: true });
      else await writeFile(exportsFile, original);
    }
  }, 180_000);

  verifies('writes-readable', 'blue_realm_commit with a 2 MiB message: VALUE_TOO_LARGE before any repo commits', async () => {
    const { box, s } = shared();
    const started = await runBlue(box, ['realm', 'worktree', '--rfc', 'big-message', '--json'], { cwd: s.aperture.dir });
    expect(started.exitCode, started.stdout).toBe(0);
    const tree = join(s.aperture.dir, '.worktrees/feat-big-message');
    await writeFile(join(tree, 'README.md'), 'changed\n');
    const before = await snapshot(box);
    const { client } = await spawnMcp(box);
    const result = await client.callTool({ name: 'blue_realm_commit', arguments: { message: 'x'.repeat(2 * 1024 * 1024), cwd: tree } });
    expect(expectToolRefused(result, 'VALUE_TOO_LARGE')).toContain('The commit message is 2.0 MiB');
    expect(changes(before, await snapshot(box))).toEqual([]);
  }, 60_000);
});
