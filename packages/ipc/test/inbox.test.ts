import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile, appendFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifies } from '@blue/testkit';
import { noticeText } from '@blue/core';
import { appendNotice, buildNotice, clearNotices, inboxPath, NOTICE_MAX_BYTES, readNotices } from '@blue/ipc';
import { logSink, peerEnv, realmRuntime } from './helpers.js';

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

const change = {
  from: 'aperture',
  export: 'required-s3-permissions',
  old_version: '1.0.0',
  new_version: '1.1.0',
  changes: ['+ training-metrics/experiments/*'],
};

/** `count` processes, each appending `each` notices for `exportName` as fast as it can. */
function appenders(realmDir: string, count: number, each: number, exportName: string): Promise<number[]> {
  const script = `
    import { appendNotice } from '@blue/ipc';
    const [realmDir, each, exportName] = process.argv.slice(1);
    for (let i = 0; i < Number(each); i++) {
      await appendNotice(realmDir, 'fungal-image-analysis', { from: 'aperture', export: exportName, old_version: '1.0.0', new_version: '1.' + i + '.0', changes: ['+ path/' + process.pid + '/' + i + '/' + 'x'.repeat(200)] });
    }`;
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolveExit) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script, realmDir, String(each), exportName], { cwd: PACKAGE_DIR, stdio: 'inherit', env: peerEnv() });
          child.once('exit', (code) => resolveExit(code ?? -1));
        }),
    ),
  );
}

describe('inbox', () => {
  it('appends, reads and clears notices per domain', async () => {
    const { realmDir } = await realmRuntime();
    expect(await readNotices(realmDir, 'fungal-image-analysis')).toEqual([]);
    const first = await appendNotice(realmDir, 'fungal-image-analysis', change, new Date('2026-01-24T10:00:00Z'));
    expect(first).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), kind: 'export-changed', at: '2026-01-24T10:00:00.000Z', ...change, breaking: false, text: "Export 'required-s3-permissions' changed: + training-metrics/experiments/*" });
    const second = await appendNotice(realmDir, 'fungal-image-analysis', { ...change, export: 'iam-roles', changes: ['- a', '+ b'], breaking: true, old_version: null });
    expect(second.text).toBe("Export 'iam-roles' changed (breaking): - a; + b");
    await appendNotice(realmDir, 'billing', change);
    expect(await readNotices(realmDir, 'fungal-image-analysis')).toEqual([first, second]);
    expect(inboxPath(realmDir, 'billing')).toBe(join(realmDir, 'inbox', 'billing.jsonl'));

    expect(await clearNotices(realmDir, 'fungal-image-analysis', (n) => n.export === 'nothing-matches')).toEqual([]);
    expect(await clearNotices(realmDir, 'fungal-image-analysis', (n) => n.export === 'required-s3-permissions')).toEqual([first]);
    expect(await readNotices(realmDir, 'fungal-image-analysis')).toEqual([second]);
    expect(await readNotices(realmDir, 'billing')).toHaveLength(1);
    expect(await clearNotices(realmDir, 'no-inbox-yet', () => true)).toEqual([]);
    await expect(appendNotice(realmDir, '../escape', change)).rejects.toMatchObject({ code: 'NAME_INVALID' });
    await expect(readNotices(realmDir, 'a/b')).rejects.toMatchObject({ code: 'NAME_INVALID' });
  });

  verifies('atomic-writes', 'clearing rewrites the inbox through a temp file and leaves none behind', async () => {
    const { realmDir } = await realmRuntime();
    for (let i = 0; i < 5; i++) await appendNotice(realmDir, 'billing', { ...change, new_version: `1.${i}.0` });
    await clearNotices(realmDir, 'billing', (n) => n.new_version !== '1.4.0');
    expect(await readdir(join(realmDir, 'inbox'))).toEqual(['billing.jsonl']);
    expect((await readNotices(realmDir, 'billing')).map((n) => n.new_version)).toEqual(['1.4.0']);
  });

  it('skips a torn or foreign line and reads the rest; duplicate ids count once', async () => {
    const { realmDir } = await realmRuntime();
    const { log, entries } = logSink();
    const notice = await appendNotice(realmDir, 'billing', change);
    await appendFile(inboxPath(realmDir, 'billing'), `${JSON.stringify(notice)}\n{"id":"x","at":\nnot json\n`);
    expect(await readNotices(realmDir, 'billing', { log })).toEqual([notice]);
    expect(entries.filter((e) => e.event === 'notice-unreadable')).toHaveLength(2);
  });

  it('reads a line written before notices had kinds as export-changed; a join-admitted notice needs no export; an unknown kind is skipped', async () => {
    const { realmDir } = await realmRuntime();
    const { log, entries } = logSink();
    const { kind: _kind, ...old } = buildNotice({ ...change, id: 'old' });
    const joined = buildNotice({ kind: 'join-admitted', from: 'billing', old_version: null, changes: [], id: 'joined' });
    expect(joined).not.toHaveProperty('export');
    expect(joined.text).toBe('billing was admitted: it is a member of the realm now.');
    await writeFile(inboxPath(realmDir, 'billing'), [old, joined, { ...old, id: 'future', kind: 'not-a-kind' }].map((n) => `${JSON.stringify(n)}\n`).join(''));
    expect((await readNotices(realmDir, 'billing', { log })).map((n) => [n.id, n.kind])).toEqual([
      ['old', 'export-changed'],
      ['joined', 'join-admitted'],
    ]);
    expect(entries.filter((e) => e.event === 'notice-unreadable')).toHaveLength(1);
    expect(() => buildNotice({ kind: 'breaking-held', from: 'billing', old_version: null, changes: [] })).toThrow();
  });

  it('shortens a long change list so one notice stays one write of at most NOTICE_MAX_BYTES', () => {
    const changes = Array.from({ length: 500 }, (_, i) => `+ bucket/prefix/${i}/${'p'.repeat(20)}`);
    const notice = buildNotice({ ...change, changes });
    expect(Buffer.byteLength(`${JSON.stringify(notice)}\n`)).toBeLessThanOrEqual(NOTICE_MAX_BYTES);
    expect(notice.changes.at(-1)).toMatch(/^… and \d+ more$/);
    expect(notice.changes.slice(0, 3)).toEqual(changes.slice(0, 3));
    expect(noticeText({ kind: 'export-changed', from: 'p', export: 'e', old_version: null, changes: [], breaking: false })).toBe("Export 'e' changed: no value changes listed");
  });

  it('20 processes appending at once never interleave or lose a line', async () => {
    const { realmDir } = await realmRuntime();
    expect(await appenders(realmDir, 20, 25, 'required-s3-permissions')).toEqual(Array(20).fill(0));
    const text = await readFile(inboxPath(realmDir, 'fungal-image-analysis'), 'utf8');
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(500);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const notices = await readNotices(realmDir, 'fungal-image-analysis');
    expect(new Set(notices.map((n) => n.id)).size).toBe(500);
  }, 60_000);

  it('clearing while other processes append loses none of their notices', async () => {
    const { realmDir } = await realmRuntime();
    for (let i = 0; i < 50; i++) await appendNotice(realmDir, 'fungal-image-analysis', { ...change, export: 'stale-export' });
    const appending = appenders(realmDir, 8, 40, 'required-s3-permissions');
    let clears = 0;
    let done = false;
    void appending.then(() => (done = true));
    while (!done) {
      // Each pass removes the stale notices (and any stale line appended meanwhile).
      await clearNotices(realmDir, 'fungal-image-analysis', (n) => n.export === 'stale-export' || (clears % 3 === 2 && n.new_version === 'never'));
      await appendNotice(realmDir, 'fungal-image-analysis', { ...change, export: 'stale-export' });
      clears++;
    }
    expect(await appending).toEqual(Array(8).fill(0));
    await clearNotices(realmDir, 'fungal-image-analysis', (n) => n.export === 'stale-export');
    const kept = await readNotices(realmDir, 'fungal-image-analysis');
    expect(clears).toBeGreaterThan(1);
    expect(kept).toHaveLength(320);
    expect(kept.every((n) => n.export === 'required-s3-permissions')).toBe(true);
    expect((await readdir(join(realmDir, 'inbox'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('inbox file', () => {
  it('is plain JSON lines a person can read', async () => {
    const { realmDir } = await realmRuntime();
    await writeFile(inboxPath(realmDir, 'billing'), '');
    await appendNotice(realmDir, 'billing', change);
    const [line] = (await readFile(inboxPath(realmDir, 'billing'), 'utf8')).split('\n');
    expect(JSON.parse(line!)).toMatchObject({ from: 'aperture', export: 'required-s3-permissions', text: expect.stringContaining('changed') });
  });
});
