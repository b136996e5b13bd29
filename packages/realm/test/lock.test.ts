import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { git, gitRepo, sandbox } from '@blue/testkit';
import { runGit } from '@blue/git';
import { acquireLock } from '../src/store/lock.js';
import { processStartTime } from '../src/store/process-identity.js';
import { recoverRealmWrite } from '../src/store/realm-commit.js';
import { ctxIn } from './helpers.js';

/** A process that lives until the test ends (or it is killed), to stand for a live lock holder. */
function liveProcess(): { pid: number; kill: () => void } {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const kill = (): void => void child.kill('SIGKILL');
  onTestFinished(kill);
  return { pid: child.pid ?? 0, kill };
}

/** The pid of a process that has exited (and was collected). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid ?? 0;
}

function ownerText(pid: number, command: string, start = processStartTime(pid)): string {
  return `${JSON.stringify({ pid, ...(start === undefined ? {} : { start }), command, host: '', since: new Date().toISOString() })}\n`;
}

describe('locks that cannot wedge', () => {
  it('takes over a lock whose holder is dead at once, and one whose pid was reused by a later process', async () => {
    const box = await sandbox();
    const path = join(box.root, 'x.lock');
    await writeFile(path, ownerText(await deadPid(), 'blue realm sync (dead)'));
    const started = Date.now();
    const held = await acquireLock(path, { command: 'test', env: { BLUE_LOCK_TIMEOUT_MS: '5000' }, what: 'the test file' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, command: 'test' });
    await held.release();

    const alive = liveProcess();
    await writeFile(path, ownerText(alive.pid, 'an older process with this pid', '1'));
    const again = await acquireLock(path, { command: 'test', env: { BLUE_LOCK_TIMEOUT_MS: '5000' }, what: 'the test file' });
    await again.release();
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('waits for a live holder, says so once, and takes the lock when it is released', async () => {
    const box = await sandbox();
    const path = join(box.root, 'x.lock');
    const first = await acquireLock(path, { command: 'first', env: {}, what: 'the test file' });
    const events: string[] = [];
    const second = acquireLock(path, { command: 'second', env: { BLUE_LOCK_TIMEOUT_MS: '10000' }, what: 'the test file', progress: { report: (e) => events.push(e.message ?? '') } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await first.release();
    const held = await second;
    expect(events).toEqual([`waiting for pid ${process.pid} (first) to release the test file`]);
    await held.release();
  });

  it('gives up on a live holder after BLUE_LOCK_TIMEOUT_MS with REALM_BUSY naming its pid and command', async () => {
    const box = await sandbox();
    const path = join(box.root, 'x.lock');
    const holder = liveProcess();
    await writeFile(path, ownerText(holder.pid, 'blue realm sync (aperture)'));
    const started = Date.now();
    await expect(acquireLock(path, { command: 'test', env: { BLUE_LOCK_TIMEOUT_MS: '300' }, what: 'The realm clone /r' })).rejects.toMatchObject({
      code: 'REALM_BUSY',
      message: expect.stringContaining(`pid ${holder.pid} (blue realm sync (aperture))`),
      hint: expect.stringContaining('BLUE_LOCK_TIMEOUT_MS'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    holder.kill();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const held = await acquireLock(path, { command: 'test', env: { BLUE_LOCK_TIMEOUT_MS: '5000' }, what: 'The realm clone /r' });
    await held.release();
  });

  it('many takers at once in one process: each gets the lock alone, none is lost', async () => {
    const box = await sandbox();
    const path = join(box.root, 'x.lock');
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const held = await acquireLock(path, { command: `taker ${i}`, env: {}, what: 'the test file' });
      inside++;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(i);
      inside--;
      await held.release();
    }));
    expect(most).toBe(1);
    expect(order.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});

describe('the realm write journal', () => {
  it('is left alone while its writer lives, and undone once it is dead', async () => {
    const box = await sandbox();
    const realm = await gitRepo(box, { 'realm.yaml': 'name: r\n' });
    await mkdir(join(realm, 'domains', 'a'), { recursive: true });
    await writeFile(join(realm, 'domains', 'a', 'domain.yaml'), 'name: a\n');
    const writer = liveProcess();
    const journal = join(realm, '.git', 'blue-realm-write.json');
    await writeFile(journal, JSON.stringify({ owner: { pid: writer.pid, start: processStartTime(writer.pid) }, paths: ['domains/a/domain.yaml'] }));
    await recoverRealmWrite(ctxIn(box, realm), realm);
    expect(await readFile(join(realm, 'domains', 'a', 'domain.yaml'), 'utf8')).toBe('name: a\n');

    writer.kill();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await recoverRealmWrite(ctxIn(box, realm), realm);
    await expect(readFile(join(realm, 'domains', 'a', 'domain.yaml'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
  });
});

describe("git's own lock files", () => {
  it('waits while another git process holds index.lock, then runs; past the wait its message is whole', async () => {
    const box = await sandbox();
    const repo = await gitRepo(box, { 'a.txt': 'a\n' });
    await writeFile(join(repo, 'a.txt'), 'b\n');
    const lock = join(repo, '.git', 'index.lock');
    await writeFile(lock, '');
    setTimeout(() => void import('node:fs/promises').then((fs) => fs.rm(lock)), 300);
    await runGit(repo, ['add', 'a.txt'], { env: { ...box.env, BLUE_LOCK_TIMEOUT_MS: '5000' } });
    expect(await git(box, repo, ['diff', '--cached', '--name-only'])).toBe('a.txt');

    await writeFile(lock, '');
    await expect(runGit(repo, ['reset', '--quiet'], { env: { ...box.env, BLUE_LOCK_TIMEOUT_MS: '200' } })).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: expect.stringMatching(/kept holding .*index\.lock.*Another git process seems to be running in this repository.*are terminated then try again\. If it still fails/s),
      hint: expect.stringContaining('remove it'),
    });
  });
});
