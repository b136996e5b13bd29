import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBlue, sandbox, verifies } from '@blue/testkit';

describe('blue realm init', () => {
  verifies(['realm-init-structure', 'cli-no-color-when-piped'], 'prints ✓ lines in plain text and exits 0', async () => {
    const box = await sandbox();
    const run = await runBlue(box, ['realm', 'init', '--name', 'letemcook', '--path', 'realm-letemcook'], { env: { NO_COLOR: undefined, CI: 'true' } });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`✓ Created realm letemcook at ${join(box.root, 'realm-letemcook')}`);
    expect(run.stdout).toContain('✓ Initialized git repository (main, ');
    expect(run.stdout).toContain('blue realm join');
    expect(run.stdout).not.toContain('\u001b[');
    expect(await readdir(join(box.root, 'realm-letemcook'))).toContain('realm.yaml');
  });

  verifies('cli-no-color-when-piped', 'FORCE_COLOR colours piped output; NO_COLOR wins over it', async () => {
    const box = await sandbox();
    const forced = await runBlue(box, ['realm', 'init', '--name', 'x', '--path', 'a'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[32m✓');
    const both = await runBlue(box, ['realm', 'init', '--name', 'x', '--path', 'b'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(both.exitCode).toBe(0);
    expect(both.stdout).not.toContain('\u001b[');
  });

  verifies('cli-json-output', '--json prints exactly the result object', async () => {
    const box = await sandbox();
    const run = await runBlue(box, ['realm', 'init', '--name', 'letemcook', '--json'], { cwd: await emptyDir(box.root, 'r') });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const result = run.json();
    expect(Object.keys(result).sort()).toEqual(['commit', 'files', 'governance', 'next_steps', 'realm']);
    expect(result.realm).toMatchObject({ name: 'letemcook', path: join(box.root, 'r'), version: '1.0.0' });
  });

  verifies('cli-json-output', '--cwd chooses the folder to act from', async () => {
    const box = await sandbox();
    const dir = await emptyDir(box.root, 'elsewhere');
    const run = await runBlue(box, ['realm', 'init', '--name', 'x', '--cwd', dir, '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.json<{ realm: { path: string } }>().realm.path).toBe(dir);
  });

  verifies(['init-refuses-invalid-name', 'cli-exit-codes', 'cli-json-output'], 'an invalid name exits 3 with a coded JSON error', async () => {
    const box = await sandbox();
    const run = await runBlue(box, ['realm', 'init', '--name', 'Bad_Name', '--path', 'realm', '--json']);
    expect(run.exitCode).toBe(3);
    expect(run.json()).toEqual({
      error: {
        code: 'NAME_INVALID',
        message: 'Invalid realm name "Bad_Name": it is not kebab-case (lowercase a-z, 0-9, single hyphens between words).',
        hint: 'Use a kebab-case name of at most 64 characters, for example "bad-name".',
      },
    });
    expect(await readdir(box.root)).not.toContain('realm');
  });

  verifies(['init-refuses-existing-realm', 'cli-exit-codes'], 'a second init exits 4 and says the realm exists', async () => {
    const box = await sandbox();
    expect((await runBlue(box, ['realm', 'init', '--name', 'letemcook', '--path', 'realm'])).exitCode).toBe(0);
    const again = await runBlue(box, ['realm', 'init', '--name', 'letemcook', '--path', 'realm']);
    expect(again.exitCode).toBe(4);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      `Error: A realm named "letemcook" already exists at ${join(box.root, 'realm')}.\nHint: Use it as it is (\`blue realm join ${join(box.root, 'realm')}\` from a code repo), or pick another --path.\n`,
    );
  });

  verifies(['init-refuses-occupied-path', 'cli-exit-codes'], 'a non-empty folder and a file path exit 4', async () => {
    const box = await sandbox();
    const occupied = await emptyDir(box.root, 'occupied');
    await writeFile(join(occupied, 'keep.txt'), 'k');
    const run = await runBlue(box, ['realm', 'init', '--name', 'x', '--path', occupied, '--json']);
    expect(run.exitCode).toBe(4);
    expect(run.json()).toMatchObject({ error: { code: 'FOLDER_NOT_EMPTY' } });
    expect(await readdir(occupied)).toEqual(['keep.txt']);
    const file = await runBlue(box, ['realm', 'init', '--name', 'x', '--path', join(occupied, 'keep.txt'), '--json']);
    expect(file.exitCode).toBe(4);
    expect(file.json()).toMatchObject({ error: { code: 'NOT_A_DIRECTORY' } });
  });

  verifies(['init-refuses-occupied-path', 'cli-exit-codes'], 'a folder the user may not write in exits 4 with PATH_NOT_WRITABLE', async () => {
    const box = await sandbox();
    // Root ignores permission bits, so when the suite runs as root the CLI runs as nobody.
    const asRoot = process.getuid?.() === 0;
    const locked = await emptyDir(box.root, 'locked');
    if (asRoot) await chmod(box.root, 0o755);
    else await chmod(locked, 0o555);
    const run = await runBlue(box, ['realm', 'init', '--name', 'x', '--path', join(locked, 'realm'), '--json'], {
      cwd: box.root,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    if (!asRoot) await chmod(locked, 0o755);
    expect(run.json()).toMatchObject({ error: { code: 'PATH_NOT_WRITABLE', message: `Blue may not write in ${locked}.` } });
    expect(run.exitCode).toBe(4);
    expect(await readdir(locked)).toEqual([]);
  });

  verifies(['cli-exit-codes', 'cli-json-output'], 'an unknown flag or missing --name is a usage error, exit 2', async () => {
    const box = await sandbox();
    const unknown = await runBlue(box, ['realm', 'init', '--name', 'x', '--bogus']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Nonexistent flag: --bogus');
    const missing = await runBlue(box, ['realm', 'init', '--json']);
    expect(missing.exitCode).toBe(2);
    expect(missing.json()).toMatchObject({ error: { code: 'USAGE', message: expect.stringContaining('--name') } });
  });

  verifies('cli-help-teaches', '--help shows the summary, flags and examples', async () => {
    const box = await sandbox();
    const run = await runBlue(box, ['realm', 'init', '--help']);
    expect(run.exitCode).toBe(0);
    for (const text of ['USAGE', '--name', '--path', '--json', '--cwd', 'EXAMPLES', 'blue realm init --name letemcook']) expect(run.stdout).toContain(text);
  });
});

async function emptyDir(root: string, name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

it('blue --version prints the version', async () => {
  const box = await sandbox();
  const run = await runBlue(box, ['--version']);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toMatch(/^@blue\/cli\/0\.1\.0 /);
});
