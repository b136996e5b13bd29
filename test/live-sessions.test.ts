import { appendFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { BLUE_BIN, git, letemcookScenario, runBlue, sandbox, spawnMcp, verifies, type McpSession, type Sandbox, grantInFixtureStack } from '@blue/testkit';

const EXPERIMENTS = 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/experiments/{run_id}")\n';

interface SessionsResult {
  runtime_dir: string;
  sessions: Array<{ id: string; domain: string; pid: number; socket: string; exports_modified: string[]; imports_watching: Array<{ from: string; contract: string }> }>;
}

async function sessionsVia(mcp: McpSession, cwd: string): Promise<SessionsResult> {
  const result = await mcp.client.callTool({ name: 'blue_realm_sessions', arguments: { cwd } });
  expect(result.isError).toBeFalsy();
  return result.structuredContent as SessionsResult;
}

/** Polls until `check` passes or `ms` elapse (live registration happens right after initialize). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function sockets(runtimeDir: string): Promise<string[]> {
  return (await readdir(runtimeDir)).filter((f) => f.endsWith('.sock'));
}

async function twoServers(box: Sandbox) {
  const s = await letemcookScenario(box);
  const aperture = await spawnMcp(box, { cwd: s.aperture.dir });
  const fungal = await spawnMcp(box, { cwd: s.fungal.dir });
  const listed = await eventually(() => sessionsVia(aperture, s.aperture.dir), (r) => r.sessions.length === 2);
  return { s, aperture, fungal, listed };
}

describe('live sessions across real blue-mcp processes', () => {
  verifies(['ipc-socket-created', 'session-registered', 'sessions-listed'], 'each blue-mcp registers a session with a socket; CLI and MCP list the same sessions', async () => {
    const box = await sandbox();
    const { s, aperture, fungal, listed } = await twoServers(box);
    expect(listed.sessions.map((x) => x.domain).sort()).toEqual(['aperture', 'fungal-image-analysis']);
    expect(listed.sessions.find((x) => x.domain === 'fungal-image-analysis')).toMatchObject({ pid: fungal.pid, imports_watching: [{ from: 'aperture', contract: 'required-s3-permissions' }] });
    expect(listed.sessions.find((x) => x.domain === 'aperture')?.pid).toBe(aperture.pid);
    expect((await sockets(listed.runtime_dir)).length).toBe(2);
    for (const x of listed.sessions) expect(Buffer.byteLength(x.socket)).toBeLessThanOrEqual(103);
    const cli = await runBlue(box, ['realm', 'sessions', '--json'], { cwd: s.fungal.dir });
    expect((JSON.parse(cli.stdout) as SessionsResult).sessions.map((x) => x.id).sort()).toEqual(listed.sessions.map((x) => x.id).sort());
    const human = await runBlue(box, ['realm', 'sessions'], { cwd: s.fungal.dir });
    expect(human.stdout).toContain('2 running session(s)');
    expect(human.stdout).toContain('watching: required-s3-permissions from aperture');
  });

  verifies(['export-change-broadcast', 'status-shows-stale-imports'], "aperture's sync reaches fungal's client as a resource update and a log message; fungal's status shows the notice until resolved", async () => {
    const box = await sandbox();
    const { s, aperture, fungal } = await twoServers(box);
    await fungal.client.subscribeResource({ uri: 'blue://realm/status' });
    const updated = new Promise<string>((resolve) => fungal.client.setNotificationHandler('notifications/resources/updated', (n) => resolve(n.params.uri)));
    // aperture's own session may first report the edit as export-modified-locally: wait for the publish.
    const logged = new Promise<string>((resolve) =>
      fungal.client.setNotificationHandler('notifications/message', (n) => {
        if (String(n.params.data).includes('published')) resolve(String(n.params.data));
      }),
    );
    await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), EXPERIMENTS);
    await git(box, s.aperture.dir, ['add', '--all']);
    await git(box, s.aperture.dir, ['commit', '-qm', 'experiments']);

    const started = Date.now();
    const sync = await aperture.client.callTool({ name: 'blue_realm_sync', arguments: {} });
    expect(sync.structuredContent).toMatchObject({ live: { announcements: [{ export: 'required-s3-permissions', version: '1.1.0', inboxes: ['fungal-image-analysis'], sessions: 1, delivered: 1 }] } });
    const within = (p: Promise<string>) => Promise.race([p, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('no notification within 5 s')), 5_000))]);
    expect(await within(updated)).toBe('blue://realm/status');
    expect(await within(logged)).toContain('aperture published required-s3-permissions 1.1.0');
    expect(Date.now() - started).toBeLessThan(5_000);

    const status = await runBlue(box, ['status'], { cwd: s.fungal.dir });
    expect(status.stdout).toContain("🔔 Live notification from aperture: Export 'required-s3-permissions' changed: + experiments/* (write). Your import is now stale.");
    const read = await fungal.client.readResource({ uri: 'blue://realm/status' });
    const first = read.contents[0];
    expect(JSON.parse(first && 'text' in first ? first.text : '{}')).toMatchObject({ notices: [{ from: 'aperture', new_version: '1.1.0', import_status: 'stale' }] });

    await grantInFixtureStack(s.fungal.dir, 'WRITE_PATHS', 'experiments/*');
    await git(box, s.fungal.dir, ['commit', '-qam', 'cover experiments']);
    expect((await runBlue(box, ['realm', 'sync'], { cwd: s.fungal.dir })).exitCode).toBe(0);
    const after = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
    expect(JSON.parse(after.stdout)).toMatchObject({ notices: [], imports: [{ status: 'current', resolved_version: '1.1.0' }] });
  });

  verifies('sessions-cleaned-up', 'a SIGKILLed server is pruned with its socket; a clean exit (stdin EOF) deregisters itself', async () => {
    const box = await sandbox();
    const { s, aperture, fungal, listed } = await twoServers(box);
    process.kill(fungal.pid ?? 0, 'SIGKILL');
    const afterKill = await eventually(() => sessionsVia(aperture, s.aperture.dir), (r) => r.sessions.length === 1);
    expect(afterKill.sessions.map((x) => x.domain)).toEqual(['aperture']);
    expect(await sockets(listed.runtime_dir)).toHaveLength(1);

    await aperture.close();
    const gone = await eventually(async () => sockets(listed.runtime_dir), (files) => files.length === 0);
    expect(gone).toEqual([]);
    expect(await readdir(join(listed.runtime_dir, 'sessions'))).toEqual([]);
  });

  verifies(['export-change-broadcast', 'sessions-listed'], 'blue realm sessions --watch --json streams the export change as a JSON line and deregisters on SIGINT', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box);
    const watcher = spawn(process.execPath, [BLUE_BIN, 'realm', 'sessions', '--watch', '--json'], { cwd: s.fungal.dir, env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => watcher.on('exit', (code) => resolve(code)));
    let out = '';
    const line = (pattern: RegExp) => new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${String(pattern)} in: ${out}`)), 15_000);
      const look = () => {
        const found = out.split('\n').find((l) => pattern.test(l));
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      watcher.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        look();
      });
      look();
    });
    try {
      expect(JSON.parse(await line(/"event":"watching"/))).toMatchObject({ domain: 'fungal-image-analysis', realm: 'letemcook' });
      await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), EXPERIMENTS);
      await git(box, s.aperture.dir, ['add', '--all']);
      await git(box, s.aperture.dir, ['commit', '-qm', 'experiments']);
      const sync = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir });
      expect(JSON.parse(sync.stdout)).toMatchObject({ live: { announcements: [{ delivered: 1 }] } });
      expect(JSON.parse(await line(/"type":"export-changed"/))).toMatchObject({ from: 'aperture', export: 'required-s3-permissions', old_version: '1.0.0', new_version: '1.1.0', changes: ['+ experiments/* (write)'] });
    } finally {
      watcher.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    const listed = JSON.parse((await runBlue(box, ['realm', 'sessions', '--json'], { cwd: s.fungal.dir })).stdout) as SessionsResult;
    expect(listed.sessions).toEqual([]);
    expect(await sockets(listed.runtime_dir)).toEqual([]);
  });

  verifies('export-change-broadcast', "editing an export in aperture's repo (not synced) marks its session and tells fungal's session: export-modified-locally", async () => {
    const box = await sandbox();
    const { s, aperture, fungal } = await twoServers(box);
    const told = new Promise<string>((resolve) =>
      fungal.client.setNotificationHandler('notifications/message', (n) => {
        if (String(n.params.data).includes('editing')) resolve(String(n.params.data));
      }),
    );
    // A tracked file starts writing a new path: the local export drifts from the published one.
    await appendFile(join(s.aperture.dir, 'models/training/metrics.py'), '\n\ndef export_sweep(path):\n    storage.upload_file(path, "s3://cultivarium-fungal/training-metrics/sweeps/latest.json")\n');
    const within = Promise.race([told, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('fungal heard nothing within 10 s')), 10_000))]);
    expect(await within).toBe('aperture is editing required-s3-permissions, which you import.');
    const listed = await eventually(() => sessionsVia(fungal, s.fungal.dir), (r) => r.sessions.some((x) => x.domain === 'aperture' && x.exports_modified.length > 0));
    expect(listed.sessions.find((x) => x.domain === 'aperture')).toMatchObject({ exports_modified: ['required-s3-permissions'] });
    void aperture;
  });
});
