import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { appendNotice, readNotices } from '@blue/ipc';
import { tempDir, verifies } from '@blue/testkit';
import { pendingNotices } from '../src/live/live-notices.js';

const notice = (version: string, old: string) => ({ from: 'aperture', export: 'required-s3-permissions', old_version: old, new_version: version, changes: [`+ v${version}`] });

describe('live notices', () => {
  verifies('export-change-broadcast', 'a notice is dropped once its version is resolved, even when a later change made the import stale again', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'inbox'), { mode: 0o700 });
    await appendNotice(dir, 'fungal', notice('1.1.0', '1.0.0'));
    await appendNotice(dir, 'fungal', notice('1.2.0', '1.1.0'));
    // fungal resolved 1.1.0; aperture has since published 1.2.0, so the import is stale.
    const shown = await pendingNotices(dir, 'fungal', [{ from: 'aperture', contract: 'required-s3-permissions', status: 'stale', resolved_version: '1.1.0' }]);
    expect(shown.map((n) => n.new_version)).toEqual(['1.2.0']);
    expect(shown[0]).toMatchObject({ import_status: 'stale' });
    // A reader writes nothing: the inbox keeps the settled notice until sync or import clears it.
    expect((await readNotices(dir, 'fungal')).map((n) => n.new_version)).toEqual(['1.1.0', '1.2.0']);
    // Not resolved yet: both stay.
    await appendNotice(dir, 'other', notice('1.1.0', '1.0.0'));
    expect(await pendingNotices(dir, 'other', [{ from: 'aperture', contract: 'required-s3-permissions', status: 'stale', resolved_version: '1.0.0' }])).toHaveLength(1);
  });
});
