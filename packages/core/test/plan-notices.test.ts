// The notices the realm implies for a consumer, from the exports' changelogs and its resolved versions.
import { describe, expect } from 'vitest';
import { noticeId, planImpliedNotices, S3_PATHS_SCHEMA, type ImportEntry, type PublishedExport } from '@blue/core';
import { verifies } from '@blue/testkit';

const ENTRY: ImportEntry = { contract: 'paths', from: 'aperture', version: '^1.0.0', binding: 'cdk/stack.py', status: 'current', resolved_version: '1.1.0' };

const PATHS: PublishedExport = {
  name: 'paths',
  version: '2.0.0',
  schema: S3_PATHS_SCHEMA,
  value: { read: [], write: [] },
  // Newest first, as sync writes it.
  changelog: [
    { version: '2.0.0', date: '2026-12-03', changes: ['- a/* (write)'], breaking: true },
    { version: '1.2.0', date: '2026-12-02', changes: ['+ b/* (write)'] },
    { version: '1.1.0', date: '2026-12-01', changes: ['+ a/* (write)'] },
    { version: '1.0.0', date: '2026-11-30', changes: ['First published.'] },
  ],
};

describe('planImpliedNotices', () => {
  verifies('live-across-machines', 'every version newer than the resolved one, oldest first, with its changes, whether it breaks, and an id stable per provider, export and version', () => {
    const plan = (imports: ImportEntry[]) => planImpliedNotices({ imports, exportsOf: (d) => (d === 'aperture' ? [PATHS] : undefined) });
    expect(plan([ENTRY])).toEqual([
      { id: noticeId('aperture', 'paths', '1.2.0'), from: 'aperture', export: 'paths', old_version: '1.1.0', new_version: '1.2.0', changes: ['+ b/* (write)'], breaking: false, date: '2026-12-02' },
      { id: noticeId('aperture', 'paths', '2.0.0'), from: 'aperture', export: 'paths', old_version: '1.2.0', new_version: '2.0.0', changes: ['- a/* (write)'], breaking: true, date: '2026-12-03' },
    ]);
    // Resolved at the newest: nothing. Never resolved, or the export is gone: nothing to compare with.
    expect(plan([{ ...ENTRY, resolved_version: '2.0.0' }])).toEqual([]);
    expect(plan([{ ...ENTRY, resolved_version: undefined }])).toEqual([]);
    expect(plan([{ ...ENTRY, from: 'gone' }])).toEqual([]);
    expect(noticeId('aperture', 'paths', '1.2.0')).toMatch(/^[0-9a-f]{16}$/);
    expect(noticeId('aperture', 'paths', '1.2.0')).not.toBe(noticeId('aperture', 'paths', '2.0.0'));
  });
});
