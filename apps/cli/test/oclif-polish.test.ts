import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBlue, sandbox, WORKSPACE_ROOT } from '@blue/testkit';
import { closestCommand } from '../src/hooks/command-not-found.js';

describe('oclif polish', () => {
  it('blue --version prints the package version, node and platform', async () => {
    const box = await sandbox();
    const { version } = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'apps/cli/package.json'), 'utf8')) as { version: string };
    const run = await runBlue(box, ['--version']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`@blue/cli/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  });

  it('a typo suggests the nearest command and exits 2 (usage) without waiting for an answer (stdin not a TTY)', async () => {
    const box = await sandbox();
    const started = Date.now();
    const run = await runBlue(box, ['stauts'], { timeoutMs: 8_000 });
    expect(run.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('stauts is not a blue command.');
    expect(run.stderr).toContain('Did you mean blue status?');
    expect(run.stderr).toContain('Run blue help for a list of available commands.');
  });

  it('a typo in a topic suggests the command in that topic, with spaces', async () => {
    const box = await sandbox();
    const run = await runBlue(box, ['realm', 'inti'], { timeoutMs: 8_000 });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Did you mean blue realm init?');
    expect(run.stderr).toContain('Run blue help realm for a list of available commands.');
  });

  it('nothing near enough: no suggestion, still exit 2', async () => {
    const box = await sandbox();
    const run = await runBlue(box, ['xylophone-quartet'], { timeoutMs: 8_000 });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('xylophone-quartet is not a blue command.');
    expect(run.stderr).not.toContain('Did you mean');
  });

  it('closestCommand picks by edit distance and refuses far matches', () => {
    const ids = ['status', 'realm:init', 'realm:sync', 'realm:push'];
    expect(closestCommand('stauts', ids)).toBe('status');
    expect(closestCommand('realm:snyc', ids)).toBe('realm:sync');
    expect(closestCommand('realm:pr', ['realm:push', 'realm:pr'])).toBe('realm:pr');
    expect(closestCommand('deploy-everything', ids)).toBeUndefined();
    expect(closestCommand('status', [])).toBeUndefined();
  });

  it('blue autocomplete --help works (the plugin is wired)', async () => {
    const box = await sandbox();
    const run = await runBlue(box, ['autocomplete', '--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('$ blue autocomplete [SHELL]');
    expect(run.stdout).toContain('$ blue autocomplete bash');
  });

  it('blue autocomplete bash prints setup instructions and builds the completion cache under the cache dir', async () => {
    const box = await sandbox();
    const cache = join(box.root, 'cache');
    const run = await runBlue(box, ['autocomplete', 'bash'], { env: { BLUE_CACHE_DIR: join(cache, 'blue') } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('blue autocomplete script bash');
    const functions = join(cache, 'blue', 'autocomplete', 'functions', 'bash', 'blue.bash');
    expect(await readFile(join(cache, 'blue', 'autocomplete', 'bash_setup'), 'utf8')).toContain(functions);
    const completion = await readFile(functions, 'utf8');
    expect(completion).toContain('_blue_autocomplete()');
    expect(completion).toMatch(/^realm:init --json --cwd --name --path$/m);
    expect(completion).toMatch(/^status --json --cwd --strict --offline$/m);
  });
});
