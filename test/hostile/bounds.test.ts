// Hostile member corpus: untrusted data that used to hang or crash every consumer. Each case
// returns a coded answer within a time bound, through the CLI and blue-mcp, and writes nothing.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { BLUE_BIN, git, runBlue, spawnMcp, verifies, type Sandbox } from '@blue/testkit';
import { changes, EXIT, expectRefused, sharedScenario, snapshot, withMalloryCommit } from './helpers.js';

const run = promisify(execFile);
/** Far below what the old engines took (the pattern alone: 2^36 steps); generous for a loaded CI machine. */
const BOUND_MS = 8000;

interface Finding {
  rule: string;
  message: string;
}

describe('hostile member: untrusted data is bounded', () => {
  const shared = sharedScenario();

  /** Publishes `schema` and `value` as aperture's export `hostile` (as Mallory), and imports it into fungal; undone after `test`. */
  async function withHostileExport(schema: unknown, value: unknown, test: () => Promise<void>): Promise<void> {
    const { box, s } = shared();
    const exportsFile = join(s.realm, 'domains/aperture/exports.yaml');
    const importsFile = join(s.realm, 'domains/fungal-image-analysis/imports.yaml');
    const entry = { name: 'hostile', version: '1.0.0', schema, value, changelog: [{ version: '1.0.0', date: '2026-01-01', changes: ['First published.'] }] };
    await withMalloryCommit(box, s.realm, async () => {
      await writeFile(exportsFile, `${await readFile(exportsFile, 'utf8')}  - ${JSON.stringify(entry)}\n`);
      await writeFile(importsFile, `${await readFile(importsFile, 'utf8')}  - {contract: hostile, from: aperture, version: "^1.0.0", binding: app.py, status: current}\n`);
    }, test);
  }

  /** status and check from fungal in both faces: their answers, and the slowest time. */
  async function consumerAnswers(box: Sandbox, cwd: string): Promise<{ status: { imports: Array<{ contract: string; status: string; reasons: string[] }> }; check: Finding[]; mcpCheck: Finding[]; mcpStatus: unknown; slowest: number }> {
    const times: number[] = [];
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const out = await work();
      times.push(Date.now() - started);
      return out;
    };
    const status = await timed(() => runBlue(box, ['status', '--json'], { cwd }));
    expect(status.exitCode, status.stdout + status.stderr).not.toBe(70);
    const check = await timed(() => runBlue(box, ['realm', 'check', '--json'], { cwd }));
    expect(check.exitCode, check.stdout + check.stderr).toBe(1);
    const { client } = await spawnMcp(box);
    const mcpStatus = await timed(() => client.callTool({ name: 'blue_status', arguments: { cwd } }));
    const mcpCheck = await timed(() => client.callTool({ name: 'blue_realm_check', arguments: { cwd } }));
    return {
      status: status.json(),
      check: check.json<{ findings: Finding[] }>().findings,
      mcpCheck: (mcpCheck.structuredContent as { findings: Finding[] }).findings,
      mcpStatus: mcpStatus.structuredContent,
      slowest: Math.max(...times),
    };
  }

  verifies('untrusted-data-bounded', 'an export schema pattern ^(a|a)+$ with a 37-character value: status, check and blue-mcp answer within the bound (RE2), the import is broken and check names the export', async () => {
    const { box, s } = shared();
    await withHostileExport({ type: 'string', pattern: '^(a|a)+$' }, `${'a'.repeat(36)}!`, async () => {
      const before = await snapshot(box);
      const answers = await consumerAnswers(box, s.fungal.dir);
      expect(answers.slowest).toBeLessThan(BOUND_MS);
      expect(answers.status.imports.find((i) => i.contract === 'hostile')?.status).toBe('broken');
      const finding = answers.check.find((f) => f.rule === 'export-value-invalid');
      expect(finding?.message).toMatch(/^export "hostile" 1\.0\.0: value must match pattern "\^\(a\|a\)\+\$"/);
      expect(answers.mcpCheck.map((f) => f.message)).toContain(finding?.message);
      expect(changes(before, await snapshot(box))).toEqual([]);
    });
  });

  for (const schema of [{ $ref: '#' }, { $dynamicAnchor: 'node', $dynamicRef: '#node' }, { $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' }]) {
    verifies('untrusted-data-bounded', `an export schema that recurses without end (${JSON.stringify(schema)}): SCHEMA_UNSAFE naming the export, no crash (exit 70) in either face`, async () => {
      const { box, s } = shared();
      await withHostileExport(schema, 1, async () => {
        const answers = await consumerAnswers(box, s.fungal.dir);
        const finding = answers.check.find((f) => f.message.startsWith('SCHEMA_UNSAFE'));
        expect(finding?.message).toMatch(/^SCHEMA_UNSAFE: export "hostile" 1\.0\.0: its schema refers to itself without end/);
        expect(answers.status.imports.find((i) => i.contract === 'hostile')?.reasons.join(' ')).toContain('SCHEMA_UNSAFE');
        expect(answers.mcpCheck.map((f) => f.message)).toContain(finding?.message);
      });
    });
  }

  verifies('untrusted-data-bounded', 'a binding replaced by a FIFO, then by a 2 GiB file: status answers at once with a note on the import, in both faces', async () => {
    const { box, s } = shared();
    const imports = (await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir })).json<{ imports: Array<{ binding: string }> }>().imports;
    const binding = join(s.fungal.dir, imports[0]?.binding ?? '');
    const original = await readFile(binding);
    try {
      await rm(binding);
      await run('mkfifo', [binding]);
      for (const kind of ['fifo', 'huge'] as const) {
        if (kind === 'huge') {
          await rm(binding);
          await writeFile(binding, '');
          await truncate(binding, 2 * 1024 ** 3);
        }
        const started = Date.now();
        const status = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
        expect(Date.now() - started).toBeLessThan(BOUND_MS);
        expect(status.exitCode, status.stderr).toBe(0);
        const reasons = status.json<{ imports: Array<{ reasons: string[] }> }>().imports[0]?.reasons.join(' ') ?? '';
        expect(reasons).toMatch(kind === 'fifo' ? /is not a regular file/ : /is 2048\.0 MiB/);
        const { client } = await spawnMcp(box);
        const tool = await client.callTool({ name: 'blue_status', arguments: { cwd: s.fungal.dir } });
        expect(tool.isError).toBeFalsy();
      }
    } finally {
      await rm(binding, { force: true });
      await writeFile(binding, original);
    }
  });

  verifies('untrusted-data-bounded', 'a trusted detector printing JSON nested 200,000 deep is VALUE_INVALID (exit 3), not a crash', async () => {
    const { box, s } = shared();
    const exportsFile = join(s.fungal.dir, '.blue/exports.yaml');
    const original = await readFile(exportsFile, 'utf8').catch(() => undefined);
    const command = [process.execPath, '-e', "process.stdout.write('['.repeat(200000) + ']'.repeat(200000))"];
    await writeFile(exportsFile, `${original ?? 'exports:\n'}  - name: deep\n    detect: {kind: command, command: ${JSON.stringify(command)}}\n`);
    try {
      expect((await runBlue(box, ['trust', 'allow', '--export', 'deep', '--json'], { cwd: s.fungal.dir })).exitCode).toBe(0);
      const status = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
      expect(expectRefused(status, 'VALUE_INVALID', EXIT.input).message).toContain('printed JSON nested deeper than 64 levels');
    } finally {
      if (original === undefined) await rm(exportsFile);
      else await writeFile(exportsFile, original);
      await runBlue(box, ['trust', 'revoke', '--all'], { cwd: s.fungal.dir });
    }
  });

  verifies('untrusted-data-bounded', 'a realm of 1,000 domains is read under `ulimit -n 256` (graph and check): no EMFILE', async () => {
    const { box } = shared();
    const realm = join(box.root, 'big-realm');
    await mkdir(realm, { recursive: true });
    expect((await runBlue(box, ['realm', 'init', '--name', 'big', '--path', realm, '--json'])).exitCode).toBe(0);
    for (let i = 0; i < 1000; i++) {
      const dir = join(realm, 'domains', `d${i}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'domain.yaml'), `name: d${i}\nmaintainers: []\njoined_at: "2026-01-01T00:00:00Z"\n`);
      await writeFile(join(dir, 'exports.yaml'), 'exports: []\n');
      await writeFile(join(dir, 'imports.yaml'), 'imports: []\n');
    }
    await git(box, realm, ['add', '-A']);
    await git(box, realm, ['commit', '-q', '-m', '1,000 domains']);
    for (const args of [['realm', 'graph', '--json'], ['realm', 'check', '--json']]) {
      const { stdout } = await run('sh', ['-c', 'ulimit -n 256 && exec "$0" "$@"', process.execPath, BLUE_BIN, ...args], { cwd: realm, env: box.env, maxBuffer: 64 * 1024 * 1024 }).catch((err: { stdout: string; stderr: string }) => ({ stdout: `${err.stdout}${err.stderr}` }));
      expect(stdout).not.toContain('EMFILE');
      expect(stdout).not.toContain('"error"');
    }
  }, 120_000);
});
