import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect } from 'vitest';
import { runBlue, spawnMcp, verifies } from '@blue/testkit';
import { createContext, syncRealm } from '@blue/realm';
import { domainRealm, growProviderExport, type DomainRealm } from './realm-fixture.js';

/** Every file under `dir` (the realm clone with its git folder, the runtime folder, BLUE_HOME but its caches) with a digest of its content. */
async function files(dir: string, skip: (path: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    if (skip(relative(dir, path))) continue;
    out[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

async function state(fx: DomainRealm): Promise<Record<string, Record<string, string>>> {
  return {
    realm: await files(fx.realm),
    runtime: await files(fx.env.BLUE_RUNTIME_DIR ?? ''),
    home: await files(fx.env.BLUE_HOME ?? '', (p) => p.startsWith('cache/')),
  };
}

describe('readers write nothing', () => {
  verifies('concurrent-writers-no-lost-update', 'status, check, graph and sessions (CLI and MCP) leave the realm clone, a dead writer\'s journal, the inboxes and the index exactly as they were', async () => {
    const fx = await domainRealm({ count: 2 });
    await growProviderExport(fx, 'readers');
    await syncRealm(createContext({ cwd: fx.repos[0]?.dir ?? '', env: fx.env }), { notify: true });
    // A writer that died half-way: its journal names a file it wrote and never committed.
    await writeFile(join(fx.realm, 'domains', 'd01', 'imports.yaml'), 'imports: []\n');
    await writeFile(join(fx.realm, '.git', 'blue-realm-write.json'), JSON.stringify({ owner: { pid: 999_999_999 }, paths: ['domains/d01/imports.yaml'] }));
    const before = await state(fx);
    expect(Object.keys(before.runtime ?? {}).some((p) => p.includes('inbox'))).toBe(true);

    const consumer = fx.repos[1]?.dir ?? '';
    for (const args of [['status', '--json'], ['realm', 'check', '--json'], ['realm', 'graph', '--json'], ['realm', 'sessions', '--json']]) {
      const run = await runBlue(fx.box, args, { cwd: consumer, env: fx.env, timeoutMs: 60_000 });
      expect(run.stdout, args.join(' ')).not.toBe('');
    }
    const mcp = await spawnMcp(fx.box, { cwd: consumer, env: fx.env });
    for (const name of ['blue_status', 'blue_realm_check', 'blue_realm_graph', 'blue_realm_sessions']) await mcp.client.callTool({ name, arguments: {} });
    await mcp.close();
    expect(await state(fx)).toEqual(before);
  }, 120_000);
});
