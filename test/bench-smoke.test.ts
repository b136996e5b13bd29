import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runNodeScript, sandbox } from '@blue/testkit';

/** The figures of issue 9's table, by the ids `bench/run.mjs` prints them under. */
const FIGURE_IDS = ['status-json', 'status-fresh-view', 'status-expired-view', 'help', 'mcp-status', 'worktree', 'commit-push', 'detect-cold', 'detect-warm', 'broadcast', 'sync-round-trip', 'sync-lock-cost', 'registrations', 'live-notice', 'live-round-trips', 'sync-contended-ok', 'sync-contended-wall', 'sync-uncontended', 'status-scale', 'check-scale', 'mcp-status-scale', 'scale-ulimit'];

/** The table's data rows, as lists of trimmed cells. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n').filter((line) => line.startsWith('| '));
  return lines.slice(1).map((line) => line.slice(2, -2).split(' | ').map((cell) => cell.trim()));
}

describe('the benchmarks', () => {
  it('run in smoke mode (tiny sizes, no budgets): one table row per figure, exit 0, nothing left behind', { timeout: 180_000 }, async () => {
    // sandbox(): no GitHub tokens or Blue settings of this machine; the bench's temp folder goes under it.
    const box = await sandbox();
    const { code, stdout, stderr } = await runNodeScript('bench/run.mjs', ['--smoke'], { ...box.env, TMPDIR: box.root });
    expect(code, `${stdout}\n${stderr}`).toBe(0);

    const rows = tableRows(stdout);
    expect(rows.map((r) => r[0])).toEqual(FIGURE_IDS);
    for (const row of rows) {
      expect(row, row.join(' | ')).toHaveLength(7);
      expect(row[6], `${row[0]}: ${row.join(' | ')}`).toBe('smoke (no budget)');
      expect(row[3], `${row[0]} measured`).toMatch(/\d/);
    }
    expect(stdout).toMatch(/Machine: \d+ cores .*Node v\d+/);

    // The run removed its temp folder and stopped its children (their sockets are gone with it).
    expect((await readdir(box.root)).filter((name) => name.startsWith('bb-'))).toEqual([]);
  });

  it('refuses an unknown figure id with the list of ids (exit 2)', async () => {
    const box = await sandbox();
    const { code, stderr } = await runNodeScript('bench/run.mjs', ['--only', 'nope'], box.env);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown figure id(s): nope');
    for (const id of FIGURE_IDS) expect(stderr).toContain(id);
  });
});
