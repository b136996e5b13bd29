import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BlueError } from '@blue/core';
import { bareRemote, clone, git, gitRepo, sandbox, writeTree, type Sandbox } from '@blue/testkit';
import { aheadOfUpstream, pullRebase, pushWithRetry, upstreamOf } from '@blue/git';

/** A bare realm remote holding one commit on main, and `count` clones of it. */
async function realm(box: Sandbox, count: number): Promise<{ remote: string; clones: string[] }> {
  const remote = await bareRemote(box);
  const seed = await gitRepo(box, { 'realm.yaml': 'name: demo\nowner: a\n' }, { origin: remote });
  await git(box, seed, ['push', '--quiet', 'origin', 'main']);
  const clones: string[] = [];
  for (let i = 0; i < count; i++) clones.push(await clone(box, remote));
  return { remote, clones };
}

async function commitFile(box: Sandbox, dir: string, path: string, content: string): Promise<string> {
  await writeTree(dir, { [path]: content });
  await git(box, dir, ['add', '--all']);
  await git(box, dir, ['commit', '--quiet', '-m', `write ${path}`]);
  return git(box, dir, ['rev-parse', 'HEAD']);
}

/** Asserts the remote's main is linear, holds every subject, and has `total` commits. */
async function expectLinear(box: Sandbox, remote: string, subjects: readonly string[], total: number): Promise<void> {
  expect(await git(box, remote, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
  expect(await git(box, remote, ['rev-list', '--count', 'main'])).toBe(String(total));
  const log = (await git(box, remote, ['log', '--format=%s', 'main'])).split('\n');
  expect(log).toEqual(expect.arrayContaining([...subjects]));
}

async function expectUntouched(box: Sandbox, dir: string, head: string): Promise<void> {
  expect(await git(box, dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
  expect(await git(box, dir, ['rev-parse', 'HEAD'])).toBe(head);
  await expect(stat(join(dir, '.git', 'rebase-merge'))).rejects.toMatchObject({ code: 'ENOENT' });
  await expect(stat(join(dir, '.git', 'rebase-apply'))).rejects.toMatchObject({ code: 'ENOENT' });
}

describe('upstreamOf and aheadOfUpstream', () => {
  it('finds origin/<branch>, counts commits ahead, and says undefined / 0 without a remote', async () => {
    const box = await sandbox();
    const { clones: [dir = ''] } = await realm(box, 1);
    const env = box.env;
    expect(await upstreamOf(dir, { env })).toEqual({ remote: 'origin', branch: 'main' });
    expect(await aheadOfUpstream(dir, { env })).toBe(0);
    await commitFile(box, dir, 'a.txt', 'a');
    await commitFile(box, dir, 'b.txt', 'b');
    expect(await aheadOfUpstream(dir, { env })).toBe(2);
    await pushWithRetry(dir, { env });
    expect(await aheadOfUpstream(dir, { env })).toBe(0);

    const lonely = await gitRepo(box, { a: 'a' });
    expect(await upstreamOf(lonely, { env })).toBeUndefined();
    expect(await aheadOfUpstream(lonely, { env })).toBe(0);
    await expect(pushWithRetry(lonely, { env })).rejects.toMatchObject({ code: 'GIT_FAILED', hint: expect.stringContaining('remote add origin') });
    // origin without a tracking branch: origin/<current branch>, everything ahead.
    const fresh = await gitRepo(box, { a: 'a' }, { origin: await bareRemote(box) });
    expect(await upstreamOf(fresh, { env })).toEqual({ remote: 'origin', branch: 'main' });
    expect(await aheadOfUpstream(fresh, { env })).toBe(1);
  });

  it('follows a configured upstream, and never reads a remote named like an option as one', async () => {
    const box = await sandbox();
    const { remote, clones: [dir = ''] } = await realm(box, 1);
    const env = box.env;
    await git(box, dir, ['remote', 'add', '--', '-realm', remote]);
    await git(box, dir, ['fetch', '--quiet', '--', '-realm']);
    await git(box, dir, ['branch', '--set-upstream-to=-realm/main']);
    expect(await upstreamOf(dir, { env })).toEqual({ remote: '-realm', branch: 'main' });
    const head = await commitFile(box, dir, 'a.txt', 'a');
    expect(await aheadOfUpstream(dir, { env })).toBe(1);
    expect(await pushWithRetry(dir, { env })).toEqual({ pushed: true, attempts: 1, head, rebased: false });
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(head);
  });
});

describe('pushWithRetry', () => {
  it('pushes a new commit, and reports pushed=false when there is nothing to push', async () => {
    const box = await sandbox();
    const { remote, clones: [dir = ''] } = await realm(box, 1);
    const start = await git(box, dir, ['rev-parse', 'HEAD']);
    expect(await pushWithRetry(dir, { env: box.env })).toEqual({ pushed: false, attempts: 1, head: start, rebased: false });
    const head = await commitFile(box, dir, 'domains/a/domain.yaml', 'name: a\n');
    expect(await pushWithRetry(dir, { env: box.env })).toEqual({ pushed: true, attempts: 1, head, rebased: false });
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(head);
    // Behind the remote with nothing of its own: nothing to push, and HEAD is not moved.
    const behind = await clone(box, remote);
    await commitFile(box, dir, 'b.txt', 'b');
    await pushWithRetry(dir, { env: box.env });
    expect(await pushWithRetry(behind, { env: box.env, backoffMs: 1 })).toEqual({ pushed: false, attempts: 1, head, rebased: false });
    expect(await git(box, behind, ['rev-parse', 'HEAD'])).toBe(head);
  });

  it('rebases onto what someone else pushed first and pushes again, history linear', async () => {
    const box = await sandbox();
    const { remote, clones: [a = '', b = ''] } = await realm(box, 2);
    await commitFile(box, a, 'domains/a/exports.yaml', 'a: 1\n');
    await pushWithRetry(a, { env: box.env });
    const before = await commitFile(box, b, 'domains/b/exports.yaml', 'b: 1\n');
    const result = await pushWithRetry(b, { env: box.env, backoffMs: 1 });
    expect(result).toMatchObject({ pushed: true, attempts: 2, rebased: true });
    expect(result.head).not.toBe(before);
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(result.head);
    await expectLinear(box, remote, ['write domains/a/exports.yaml', 'write domains/b/exports.yaml'], 3);
    expect(await git(box, b, ['status', '--porcelain'])).toBe('');
  });

  it('on a real conflict throws PUSH_REJECTED naming the file and leaves the clone exactly as it was', async () => {
    const box = await sandbox();
    const { remote, clones: [a = '', b = ''] } = await realm(box, 2);
    const theirs = await commitFile(box, a, 'realm.yaml', 'name: demo\nowner: alice\n');
    await pushWithRetry(a, { env: box.env });
    const mine = await commitFile(box, b, 'realm.yaml', 'name: demo\nowner: bob\n');
    await expect(pushWithRetry(b, { env: box.env, backoffMs: 1 })).rejects.toMatchObject({
      code: 'PUSH_REJECTED',
      message: expect.stringContaining('realm.yaml'),
      hint: expect.stringContaining('pull --rebase'),
    });
    await expectUntouched(box, b, mine);
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(theirs);
  });

  it('puts HEAD back where it started when a later retry conflicts', async () => {
    const box = await sandbox();
    const { clones: [a = '', b = '', c = ''] } = await realm(box, 3);
    await commitFile(box, a, 'a.txt', 'a');
    await pushWithRetry(a, { env: box.env });
    const mine = await commitFile(box, b, 'realm.yaml', 'name: demo\nowner: bob\n');
    // After B's first rebase (onto A), C pushes a conflicting edit, so B's second push is behind again.
    const beforeRetry = async (): Promise<void> => {
      await commitFile(box, c, 'realm.yaml', 'name: demo\nowner: carol\n');
      await pushWithRetry(c, { env: box.env, backoffMs: 1 });
    };
    await expect(pushWithRetry(b, { env: box.env, backoffMs: 1, beforeRetry })).rejects.toMatchObject({ code: 'PUSH_REJECTED' });
    await expectUntouched(box, b, mine);
  });

  it('a pre-receive hook rejection is PUSH_REJECTED with its message, redacted, and is not retried', async () => {
    const box = await sandbox();
    const { remote, clones: [dir = ''] } = await realm(box, 1);
    const runs = join(box.root, 'hook-runs');
    const hook = join(remote, 'hooks', 'pre-receive');
    await writeFile(hook, `#!/bin/sh\necho run >> '${runs}'\necho "realm is frozen, see https://bob:ghp_0123456789abcdefghijABCDEFGHIJ012345@example.com/x" >&2\nexit 1\n`);
    await chmod(hook, 0o755);
    const head = await commitFile(box, dir, 'a.txt', 'a');
    const err = await pushWithRetry(dir, { env: box.env, attempts: 5, backoffMs: 1 }).then(
      () => undefined,
      (e: unknown) => e as BlueError,
    );
    expect(err).toMatchObject({ code: 'PUSH_REJECTED', message: expect.stringContaining('realm is frozen') });
    expect(err?.message).toContain('pre-receive hook declined');
    expect(err?.message).not.toMatch(/ghp_|bob/);
    expect((await readFile(runs, 'utf8')).trim().split('\n')).toHaveLength(1);
    await expectUntouched(box, dir, head);
  });

  it('an unreachable remote is GIT_FAILED with a hint', async () => {
    const box = await sandbox();
    const dir = await gitRepo(box, { a: 'a' }, { origin: join(box.root, 'missing.git') });
    await expect(pushWithRetry(dir, { env: box.env })).rejects.toMatchObject({ code: 'GIT_FAILED', hint: expect.stringContaining('remote -v') });
    await expect(pullRebase(dir, { env: box.env })).rejects.toMatchObject({ code: 'GIT_FAILED', hint: expect.stringContaining('remote -v') });
  });

  it('calls beforeRetry on the rebased state before pushing again', async () => {
    const box = await sandbox();
    const { remote, clones: [a = '', b = ''] } = await realm(box, 2);
    await commitFile(box, a, 'a.txt', 'a');
    await pushWithRetry(a, { env: box.env });
    await commitFile(box, b, 'b.txt', 'b');
    const seen: Array<[number, string]> = [];
    const beforeRetry = async (attempt: number): Promise<void> => {
      seen.push([attempt, await readFile(join(b, 'a.txt'), 'utf8')]);
    };
    const result = await pushWithRetry(b, { env: box.env, backoffMs: 1, beforeRetry });
    expect(seen).toEqual([[2, 'a']]);
    expect(result).toMatchObject({ pushed: true, attempts: 2, rebased: true });
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(result.head);
  });

  it('stops when beforeRetry throws, rethrowing its error, nothing pushed and HEAD restored', async () => {
    const box = await sandbox();
    const { remote, clones: [a = '', b = ''] } = await realm(box, 2);
    const theirs = await commitFile(box, a, 'a.txt', 'a');
    await pushWithRetry(a, { env: box.env });
    const mine = await commitFile(box, b, 'b.txt', 'b');
    let calls = 0;
    const beforeRetry = (): Promise<void> => {
      calls++;
      return Promise.reject(new BlueError('BREAKING_NEEDS_APPROVAL', 'needs approval after rebase'));
    };
    await expect(pushWithRetry(b, { env: box.env, backoffMs: 1, beforeRetry })).rejects.toMatchObject({ code: 'BREAKING_NEEDS_APPROVAL' });
    expect(calls).toBe(1);
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(theirs);
    await expectUntouched(box, b, mine);
  });

  it('gives up with PUSH_REJECTED when the attempts run out', async () => {
    const box = await sandbox();
    const { remote, clones: [a = '', b = ''] } = await realm(box, 2);
    const theirs = await commitFile(box, a, 'a.txt', 'a');
    await pushWithRetry(a, { env: box.env });
    const mine = await commitFile(box, b, 'b.txt', 'b');
    await expect(pushWithRetry(b, { env: box.env, attempts: 1 })).rejects.toMatchObject({
      code: 'PUSH_REJECTED',
      message: expect.stringContaining('1 attempts'),
    });
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(theirs);
    await expectUntouched(box, b, mine);
  });
});

describe('pullRebase', () => {
  it('rebases local commits onto the remote and says whether HEAD moved', async () => {
    const box = await sandbox();
    const { clones: [a = '', b = ''] } = await realm(box, 2);
    const start = await git(box, b, ['rev-parse', 'HEAD']);
    expect(await pullRebase(b, { env: box.env })).toEqual({ moved: false, head: start });
    const theirs = await commitFile(box, a, 'a.txt', 'a');
    await pushWithRetry(a, { env: box.env });
    await commitFile(box, b, 'b.txt', 'b');
    const result = await pullRebase(b, { env: box.env });
    expect(result.moved).toBe(true);
    expect(await git(box, b, ['rev-parse', 'HEAD^'])).toBe(theirs);
    expect(await git(box, b, ['rev-parse', 'HEAD'])).toBe(result.head);
    expect(await aheadOfUpstream(b, { env: box.env })).toBe(1);
  });

  it('refuses a dirty worktree', async () => {
    const box = await sandbox();
    const { clones: [dir = ''] } = await realm(box, 1);
    await writeTree(dir, { 'realm.yaml': 'edited\n' });
    await expect(pullRebase(dir, { env: box.env })).rejects.toMatchObject({ code: 'DIRTY_WORKTREE' });
  });

  it('aborts a conflicting rebase: GIT_FAILED naming the file, clone exactly as before', async () => {
    const box = await sandbox();
    const { clones: [a = '', b = ''] } = await realm(box, 2);
    await commitFile(box, a, 'realm.yaml', 'name: demo\nowner: alice\n');
    await pushWithRetry(a, { env: box.env });
    const mine = await commitFile(box, b, 'realm.yaml', 'name: demo\nowner: bob\n');
    await expect(pullRebase(b, { env: box.env })).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: expect.stringContaining('realm.yaml'),
      hint: expect.stringContaining('rebase --continue'),
    });
    await expectUntouched(box, b, mine);
  });
});

describe('many domains pushing to one realm at the same moment', () => {
  const COUNT = 10;

  it('in one process: all commits land, none lost, history linear', async () => {
    const box = await sandbox();
    const { remote, clones } = await realm(box, COUNT);
    for (const [i, dir] of clones.entries()) await commitFile(box, dir, `domains/d${i}/exports.yaml`, `d${i}: 1\n`);
    const results = await Promise.all(clones.map((dir) => pushWithRetry(dir, { env: box.env, attempts: 20 })));
    expect(results.every((r) => r.pushed)).toBe(true);
    await expectLinear(box, remote, clones.map((_, i) => `write domains/d${i}/exports.yaml`), COUNT + 1);
  });

  it('in 10 processes using the built package: all commits land, none lost, history linear', async () => {
    const box = await sandbox();
    const { remote, clones } = await realm(box, COUNT);
    for (const [i, dir] of clones.entries()) await commitFile(box, dir, `domains/d${i}/exports.yaml`, `d${i}: 1\n`);
    const script = join(box.root, 'push.mjs');
    await writeFile(script, pushScript());
    const children = clones.map((dir) => startChild(script, dir, box.env));
    // A barrier: every child has loaded @blue/git before any of them pushes.
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin?.end('go\n');
    const outputs = await Promise.all(children.map((c) => c.done));
    for (const out of outputs) expect(out).toMatchObject({ code: 0, result: { pushed: true } });
    await expectLinear(box, remote, clones.map((_, i) => `write domains/d${i}/exports.yaml`), COUNT + 1);
  });
});

const GIT_DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** A script that waits for "go" on stdin, pushes its clone, prints the result as JSON and exits. */
function pushScript(): string {
  return `import { pushWithRetry } from ${JSON.stringify(pathToFileURL(GIT_DIST).href)};
setTimeout(() => process.exit(3), 60_000).unref();
process.stdout.write('ready\\n');
let started = false;
process.stdin.on('data', () => {
  if (started) return;
  started = true;
  pushWithRetry(process.argv[2], { env: process.env, attempts: 20 }).then(
    (result) => process.stdout.write(JSON.stringify({ result }) + '\\n'),
    (err) => { process.stdout.write(JSON.stringify({ error: { code: err.code, message: err.message } }) + '\\n'); process.exitCode = 1; },
  );
});
`;
}

interface Child {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ code: number | null; result?: unknown; error?: unknown; stderr: string }>;
}

function startChild(script: string, dir: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [script, dir], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      markReady();
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve({ code, stderr, ...(last.startsWith('{') ? (JSON.parse(last) as object) : {}) });
    });
  });
  return { child, ready, done };
}
