import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { appendNotice, readNotices } from '@blue/ipc';
import { tempDir, verifies } from '@blue/testkit';
import { pendingNotices, type SettleInput } from '../src/live/live-notices.js';

type Imports = SettleInput['imports'];
const settle = (imports: Imports): SettleInput => ({ imports, complete: true, now: new Date('2026-12-02T00:00:00Z') });

const notice = (version: string, old: string) => ({ from: 'aperture', export: 'required-s3-permissions', old_version: old, new_version: version, changes: [`+ v${version}`] });

describe('live notices', () => {
  verifies('export-change-broadcast', 'a notice is dropped once its version is resolved, even when a later change made the import stale again', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'inbox'), { mode: 0o700 });
    await appendNotice(dir, 'fungal', notice('1.1.0', '1.0.0'));
    await appendNotice(dir, 'fungal', notice('1.2.0', '1.1.0'));
    // fungal resolved 1.1.0; aperture has since published 1.2.0, so the import is stale.
    const shown = await pendingNotices(dir, 'fungal', settle([{ from: 'aperture', contract: 'required-s3-permissions', status: 'stale', resolved_version: '1.1.0' }]));
    expect(shown.map((n) => n.new_version)).toEqual(['1.2.0']);
    expect(shown[0]).toMatchObject({ import_status: 'stale' });
    // A reader writes nothing: the inbox keeps the settled notice until sync or import clears it.
    expect((await readNotices(dir, 'fungal')).map((n) => n.new_version)).toEqual(['1.1.0', '1.2.0']);
    // Not resolved yet: both stay.
    await appendNotice(dir, 'other', notice('1.1.0', '1.0.0'));
    expect(await pendingNotices(dir, 'other', settle([{ from: 'aperture', contract: 'required-s3-permissions', status: 'stale', resolved_version: '1.0.0' }]))).toHaveLength(1);
  });

  verifies('live-across-machines', 'each kind is settled by what ends it: a held change once the realm publishes its version, a grace notice once its deadline passed, a moment after a week; notices about imports a command did not touch stay', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'inbox'), { mode: 0o700 });
    const at = '2026-12-01T00:00:00.000Z';
    await appendNotice(dir, 'fungal', { ...notice('2.0.0', '1.0.0'), kind: 'breaking-held', breaking: true, id: 'held', at });
    await appendNotice(dir, 'fungal', { ...notice('2.0.0', '1.0.0'), kind: 'grace-started', breaking: true, until: '2026-12-05T00:00:00Z', id: 'grace', at });
    await appendNotice(dir, 'fungal', { kind: 'join-admitted', from: 'fungal', old_version: null, changes: [], id: 'joined', at });
    await appendNotice(dir, 'fungal', { ...notice('1.1.0', '1.0.0'), from: 'other', id: 'elsewhere', at });
    const imports = [{ from: 'aperture', contract: 'required-s3-permissions', status: 'stale' as const, resolved_version: '1.0.0' }];
    const ids = async (input: Partial<SettleInput>): Promise<string[]> => (await pendingNotices(dir, 'fungal', { ...settle(imports), ...input })).map((n) => n.id);
    // Dec 2: everything stands except the notice about an import fungal no longer has.
    expect(await ids({ now: new Date('2026-12-02T00:00:00Z') })).toEqual(['held', 'grace', 'joined']);
    // The held 2.0.0 is published (approved): settled. The grace period ended: settled.
    expect(await ids({ now: new Date('2026-12-06T00:00:00Z'), publishedOf: () => '2.0.0' })).toEqual(['joined']);
    // A week after the moment: settled too.
    expect(await ids({ now: new Date('2026-12-09T00:00:00Z'), publishedOf: () => '2.0.0' })).toEqual([]);
    // Only the imports a command touched (complete: false): the notice about another import stays.
    expect(await ids({ now: new Date('2026-12-02T00:00:00Z'), complete: false })).toEqual(['held', 'grace', 'joined', 'elsewhere']);
    const shown = await pendingNotices(dir, 'fungal', settle(imports));
    expect(shown.find((n) => n.id === 'joined')).not.toHaveProperty('import_status');
    expect(shown.find((n) => n.id === 'held')).toMatchObject({ kind: 'breaking-held', import_status: 'stale', text: expect.stringContaining('awaits an approver') });
  });
});
