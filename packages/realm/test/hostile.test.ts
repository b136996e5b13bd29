// Hostile input through the use cases in-process, where what the CLI cannot show is visible:
// Object.prototype after `__proto__`/`constructor` keys went through every use case, and every
// part of a thrown error (cause, hidden fields) when git fails on a credentialed remote.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { git, verifies } from '@blue/testkit';
import { checkRealm, exportContract, importContract, realmGraph, realmStatus, syncRealm } from '@blue/realm';
import { ctxIn, letemcook } from './helpers.js';

/** A value whose keys would pollute Object.prototype if merged or assigned naively. */
const HOSTILE_VALUE = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "read": ["jobs/*"], "nested": {"__proto__": {"polluted": "yes"}}}';

function expectUnpolluted(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

describe('hostile input through the use cases', () => {
  verifies(['no-prototype-pollution', 'hostile-input-refused'], 'an export value with __proto__ and constructor keys goes through export, sync, import, status, check and graph as plain data', async () => {
    const { box, aperture, fungal, realm } = await letemcook({ join: true });
    const actx = ctxIn(box, aperture.dir);
    await exportContract(actx, { name: 'hostile-keys', value: HOSTILE_VALUE });
    expectUnpolluted();
    await git(box, aperture.dir, ['commit', '-qam', 'declare hostile-keys']);
    await syncRealm(actx, { notify: false });
    expectUnpolluted();
    const published = parse(await readFile(join(realm, 'domains', 'aperture', 'exports.yaml'), 'utf8')) as { exports: Array<{ name: string; value: Record<string, unknown>; schema: Record<string, unknown> }> };
    const hostile = published.exports.find((e) => e.name === 'hostile-keys');
    // Kept as data: own keys, with their values, in the realm file.
    expect(Object.keys(hostile?.value ?? {})).toEqual(['__proto__', 'constructor', 'read', 'nested']);
    expect(JSON.stringify(hostile?.value)).toBe(JSON.stringify(JSON.parse(HOSTILE_VALUE)));

    const fctx = ctxIn(box, fungal.dir);
    await writeFile(join(fungal.dir, 'uses-hostile.txt'), 'jobs/*\n');
    await git(box, fungal.dir, ['add', 'uses-hostile.txt']);
    await git(box, fungal.dir, ['commit', '-qm', 'binding']);
    await importContract(fctx, { contract: 'hostile-keys', from: 'aperture', binding: 'uses-hostile.txt' });
    expectUnpolluted();
    for (const ctx of [actx, fctx]) {
      const status = await realmStatus(ctx);
      expect(status).toBeDefined();
      await checkRealm(ctx, {});
      await realmGraph(ctx, {});
      expectUnpolluted();
    }
    // A change of the hostile keys is diffed and bumped like any other value.
    await exportContract(actx, { name: 'hostile-keys', value: HOSTILE_VALUE.replace('"read": ["jobs/*"]', '"read": []') });
    await git(box, aperture.dir, ['commit', '-qam', 'change hostile-keys']);
    const sync = await syncRealm(actx, { notify: false });
    expect(sync.exports.find((e) => e.name === 'hostile-keys')).toMatchObject({ bump: 'major', breaking: true });
    expectUnpolluted();
  });

  verifies('secrets-redacted', 'a git failure on a credentialed realm remote: no part of the thrown error (message, hint, cause, hidden fields) holds the credential', async () => {
    const { box, aperture, realm } = await letemcook({ join: true });
    const secret = 'realm-remote-secret-7d41c9';
    await git(box, realm, ['remote', 'add', 'origin', `https://blue-user:${secret}@127.0.0.1:1/realm.git`]);
    const actx = ctxIn(box, aperture.dir);
    await exportContract(actx, { name: 'probe', value: '["a"]' });
    await git(box, aperture.dir, ['commit', '-qam', 'declare probe']);
    const err = await syncRealm(actx, { notify: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GIT_FAILED' });
    const everything = [String(err), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), (err as { hint?: string }).hint ?? ''].join('\n');
    expect(everything).toContain('127.0.0.1:1');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('blue-user:');
  });
});
