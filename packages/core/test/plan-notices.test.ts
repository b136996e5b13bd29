// The notices the realm implies for a consumer, from the exports' changelogs and its resolved versions.
import { describe, expect } from 'vitest';
import { heldChangeOf, nextNoticeDue, noticeId, noticeText, planImpliedNotices, planMomentNotices, realmFacts, S3_PATHS_SCHEMA, type ImportEntry, type PublishedExport } from '@blue/core';
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
      { kind: 'export-changed', id: noticeId('aperture', 'paths', '1.2.0'), from: 'aperture', export: 'paths', old_version: '1.1.0', new_version: '1.2.0', changes: ['+ b/* (write)'], breaking: false, date: '2026-12-02' },
      { kind: 'export-changed', id: noticeId('aperture', 'paths', '2.0.0'), from: 'aperture', export: 'paths', old_version: '1.2.0', new_version: '2.0.0', changes: ['- a/* (write)'], breaking: true, date: '2026-12-03' },
    ]);
    // Resolved at the newest: nothing. Never resolved, or the export is gone: nothing to compare with.
    expect(plan([{ ...ENTRY, resolved_version: '2.0.0' }])).toEqual([]);
    expect(plan([{ ...ENTRY, resolved_version: undefined }])).toEqual([]);
    expect(plan([{ ...ENTRY, from: 'gone' }])).toEqual([]);
    expect(noticeId('aperture', 'paths', '1.2.0')).toMatch(/^[0-9a-f]{16}$/);
    expect(noticeId('aperture', 'paths', '1.2.0')).not.toBe(noticeId('aperture', 'paths', '2.0.0'));
  });
});

describe('the other notice kinds', () => {
  const V1: PublishedExport = { ...PATHS, version: '1.2.0', changelog: PATHS.changelog.slice(1) };
  const exportsOf = (exp: PublishedExport) => (d: string) => (d === 'aperture' ? [exp] : undefined);

  verifies('live-across-machines', 'a held breaking change newer than what is published and resolved is breaking-held for its consumers; its branch name says what it holds', () => {
    expect(heldChangeOf('blue/breaking/aperture/paths@2.0.0')).toEqual({ domain: 'aperture', export: 'paths', version: '2.0.0' });
    expect(heldChangeOf('blue/breaking/aperture/paths@latest')).toBeUndefined();
    expect(heldChangeOf('blue/rfc/x')).toBeUndefined();
    const held = [{ domain: 'aperture', export: 'paths', version: '2.0.0' }, { domain: 'aperture', export: 'other', version: '9.0.0' }];
    const plan = planImpliedNotices({ imports: [{ ...ENTRY, resolved_version: '1.2.0' }], exportsOf: exportsOf(V1), held });
    expect(plan).toEqual([{ kind: 'breaking-held', id: noticeId('aperture', 'paths', '2.0.0', 'breaking-held'), from: 'aperture', export: 'paths', old_version: '1.2.0', new_version: '2.0.0', changes: [], breaking: true, date: '2026-12-02' }]);
    expect(plan[0]?.id).not.toBe(noticeId('aperture', 'paths', '2.0.0'));
    expect(noticeText(plan[0] ?? PATHS_NOTICE)).toBe("aperture's breaking change to 'paths' (2.0.0) awaits an approver; your import keeps 1.2.0 until it is approved.");
    // Once 2.0.0 is published (approved), the branch may linger: not held any more.
    expect(planImpliedNotices({ imports: [{ ...ENTRY, resolved_version: '1.2.0' }], exportsOf: exportsOf(PATHS), held }).map((n) => n.kind)).toEqual(['export-changed']);
  });

  verifies('live-across-machines', 'a breaking change outside the range starts a grace period (grace-started) and, in its last day, grace-ending; after it nothing (the import is broken); the watcher plans again at each of those moments', () => {
    const imports = [{ ...ENTRY, version: '^1.0.0', resolved_version: '1.2.0' }];
    const plan = (now: string) => planImpliedNotices({ imports, exportsOf: exportsOf(PATHS), graceDays: 7, now: new Date(now) }).filter((n) => n.kind !== 'export-changed');
    // 2.0.0 dated 2026-12-03: grace until 2026-12-10.
    expect(plan('2026-12-04T00:00:00Z')).toEqual([expect.objectContaining({ kind: 'grace-started', new_version: '2.0.0', until: '2026-12-10T00:00:00Z', id: noticeId('aperture', 'paths', '2.0.0', 'grace-started') })]);
    expect(plan('2026-12-09T12:00:00Z').map((n) => n.kind)).toEqual(['grace-started', 'grace-ending']);
    expect(plan('2026-12-10T00:00:01Z')).toEqual([]);
    const due = (now: string) => nextNoticeDue({ imports, exportsOf: exportsOf(PATHS), graceDays: 7, now: new Date(now) })?.toISOString();
    expect(due('2026-12-04T00:00:00Z')).toBe('2026-12-09T00:00:00.000Z');
    expect(due('2026-12-09T12:00:00Z')).toBe('2026-12-10T00:00:00.000Z');
    expect(due('2026-12-11T00:00:00Z')).toBeUndefined();
    // No grace configured: none.
    expect(planImpliedNotices({ imports, exportsOf: exportsOf(PATHS), graceDays: 0, now: new Date('2026-12-04T00:00:00Z') }).filter((n) => n.kind !== 'export-changed')).toEqual([]);
  });

  verifies('live-across-machines', 'moments are the changes between two states of the realm: a new member, a newly approved breaking change, a newly resolved import; the same state twice gives none', () => {
    const before = realmFacts([
      { name: 'aperture', imports: [], exports: [V1] },
      { name: 'fungal', imports: [{ ...ENTRY, resolved_version: '1.1.0' }], exports: [] },
    ]);
    const approved = { ...PATHS, changelog: PATHS.changelog.map((c) => (c.version === '2.0.0' ? { ...c, approved_by: 'bob@x' } : c)) };
    const after = realmFacts([
      { name: 'aperture', imports: [], exports: [approved] },
      { name: 'fungal', imports: [{ ...ENTRY, resolved_version: '1.2.0' }], exports: [] },
      { name: 'billing', imports: [], exports: [] },
    ]);
    const at = new Date('2026-12-04T00:00:00Z');
    const moments = planMomentNotices(before, after, at);
    expect(moments.map((m) => [m.kind, m.to, m.from, m.export, m.new_version])).toEqual([
      ['join-admitted', 'billing', 'billing', undefined, undefined],
      ['breaking-approved', 'aperture', 'aperture', 'paths', '2.0.0'],
      ['consumer-resolved', 'aperture', 'fungal', 'paths', '1.2.0'],
    ]);
    expect(moments.map((m) => noticeText(m))).toEqual([
      'billing was admitted: it is a member of the realm now.',
      "Your breaking change to 'paths' (2.0.0) was approved by bob@x: it is on the realm's main branch.",
      "fungal now resolves 'paths' at 1.2.0.",
    ]);
    expect(planMomentNotices(after, after, at)).toEqual([]);
    expect(new Set(moments.map((m) => m.id)).size).toBe(3);
  });
});

const PATHS_NOTICE = { kind: 'export-changed' as const, from: 'x', old_version: null, changes: [], breaking: false };
