// Sockets: an unsafe runtime folder (a symlink, open to others, another owner) is refused with
// SOCKET_DIR_UNSAFE (exit 4) and left as it was; a live blue-mcp session fed garbage, a 100 MB
// line and half a message from hostile peers drops them and keeps serving.
import { chmod, chown, lstat, mkdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawSocketClient as connect, runBlue, spawnMcp, verifies } from '@blue/testkit';
import { EXIT, expectRefused, expectToolRefused, sharedScenario, STACK } from './helpers.js';

const IS_ROOT = process.getuid?.() === 0;

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function pong(path: string, id: string): Promise<void> {
  const client = await connect(path);
  await client.write(`{"v":1,"type":"ping","id":"${id}"}\n`);
  await until(() => client.lines.some((l) => l.includes(`"id":"${id}"`)));
  expect(JSON.parse(client.lines.find((l) => l.includes(`"id":"${id}"`)) ?? '{}')).toMatchObject({ type: 'pong', id });
  client.socket.destroy();
}

describe('hostile sockets', () => {
  const shared = sharedScenario();

  /** `blue realm sessions` and blue_realm_sessions with BLUE_RUNTIME_DIR=`dir`: both refused. */
  async function expectUnsafe(dir: string, why: RegExp): Promise<void> {
    const { box, s } = shared();
    const env = { BLUE_RUNTIME_DIR: dir };
    const run = await runBlue(box, ['realm', 'sessions', '--json'], { cwd: s.aperture.dir, env });
    expect(expectRefused(run, 'SOCKET_DIR_UNSAFE', EXIT.state).message).toMatch(why);
    const mcp = await spawnMcp(box, { cwd: s.root, env });
    expectToolRefused(await mcp.client.callTool({ name: 'blue_realm_sessions', arguments: { cwd: s.aperture.dir } }), 'SOCKET_DIR_UNSAFE');
    await mcp.close();
    expect(mcp.stderr()).not.toMatch(STACK);
  }

  verifies('socket-hostile-peers', 'a runtime folder that is a symlink (even to a safe folder) is refused; the link and its target stay as they were', async () => {
    const { box } = shared();
    const target = join(box.root, 'safe-run');
    await mkdir(target, { mode: 0o700 });
    const link = join(box.root, 'run-link');
    await symlink(target, link);
    try {
      await expectUnsafe(link, /symbolic link|symlink/);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(link)).toBe(target);
      expect((await stat(target)).mode & 0o777).toBe(0o700);
    } finally {
      await rm(link);
      await rm(target, { recursive: true });
    }
  });

  verifies('socket-hostile-peers', 'a runtime folder with mode 0755 is refused (sessions, status) and not chmodded', async () => {
    const { box } = shared();
    const dir = join(box.root, 'open-run');
    await mkdir(dir);
    await chmod(dir, 0o755);
    try {
      await expectUnsafe(dir, /0?755|group or others/);
      // status reads the inbox there: refused the same way, not read.
      const { box: b, s } = shared();
      expectRefused(await runBlue(b, ['status', '--json'], { cwd: s.fungal.dir, env: { BLUE_RUNTIME_DIR: dir } }), 'SOCKET_DIR_UNSAFE', EXIT.state);
      expect((await stat(dir)).mode & 0o777).toBe(0o755);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  // Needs root to give a folder to another user; as any other user the ipc package's own test
  // (runtime-dir.test.ts) covers the check with a stubbed owner.
  it.skipIf(!IS_ROOT)('[socket-hostile-peers] a runtime folder owned by another user (mode 0700) is refused and left to its owner', async () => {
    const { box } = shared();
    const dir = join(box.root, 'foreign-run');
    await mkdir(dir, { mode: 0o700 });
    await chown(dir, 4242, 4242);
    try {
      await expectUnsafe(dir, /owned by|owner|uid/);
      expect((await stat(dir)).uid).toBe(4242);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  verifies('socket-hostile-peers', 'a live blue-mcp session fed garbage, a 100 MB line and half a message (then silence) drops them and keeps serving [long]', async () => {
    const { box, s } = shared();
    const mcp = await spawnMcp(box, { cwd: s.aperture.dir });
    type Listed = { sessions: Array<{ domain: string; socket: string; pid: number }> };
    const listSessions = async (): Promise<Listed> => (await mcp.client.callTool({ name: 'blue_realm_sessions', arguments: { cwd: s.aperture.dir } })).structuredContent as Listed;
    let listed: Listed = { sessions: [] };
    for (let i = 0; i < 200 && listed.sessions.length === 0; i++) {
      listed = await listSessions();
      if (listed.sessions.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const session = listed.sessions.find((x) => x.pid === mcp.pid);
    expect(session, JSON.stringify(listed)).toBeDefined();
    const socket = session?.socket ?? '';

    const garbage = await connect(socket);
    await garbage.write('this is not json\n\u0000\u0001\u0002\n{"v":1,"type":"launch-missiles"}\n');
    await until(() => garbage.lines.length >= 2);
    expect(garbage.lines.map((l) => (JSON.parse(l) as { type: string }).type).every((t) => t === 'error')).toBe(true);

    // Half a message, then silence: the connection stays idle; nobody else waits for it.
    const half = await connect(socket);
    await half.write('{"v":1,"type":"ping","id":"never-fin');

    const flood = await connect(socket);
    const megabyte = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 100; i++) await flood.write(megabyte);
    await flood.write('\n{"v":1,"type":"ping","id":"after-flood"}\n');
    await until(() => flood.lines.some((l) => l.includes('after-flood')), 20_000);
    expect(JSON.parse(flood.lines[0] ?? '{}')).toMatchObject({ type: 'error', reason: expect.stringContaining('more than 65536 bytes') as unknown });

    await pong(socket, 'alive');
    expect(half.lines).toEqual([]);
    // The session and its MCP face carry on.
    expect((await mcp.client.callTool({ name: 'blue_status', arguments: { cwd: s.aperture.dir } })).isError).toBeFalsy();
    expect((await listSessions()).sessions.map((x) => x.socket)).toContain(socket);
    expect(mcp.stderr()).not.toMatch(STACK);
    half.socket.destroy();
  });
});
