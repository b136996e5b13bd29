import { describe, expect, it } from 'vitest';
import {
  branchNameProblem,
  branchSlug,
  isFileOfKind,
  mergeOrder,
  planWorktreeTracking,
  recordCoordinatedCommit,
  worktreeTrackingPath,
  type WorktreeFile,
} from '@blue/core';

const NOW = new Date('2026-01-24T10:00:00.123Z');
const A1 = 'a'.repeat(40);
const A2 = 'ab'.repeat(20);
const F1 = 'f'.repeat(40);

function tracking(domains: string[] = ['aperture', 'fungal-image-analysis']): WorktreeFile {
  return planWorktreeTracking(undefined, { name: 'feat/training-metrics-v2', rfc: 'aperture:training-metrics-v2', domains, now: NOW }).file;
}

describe('branchSlug', () => {
  it('turns a branch into a lowercase kebab file name, the same every time', () => {
    expect(branchSlug('feat/training-metrics-v2')).toBe('feat-training-metrics-v2');
    expect(branchSlug('Feat/Training_Metrics.v2')).toBe('feat-training-metrics-v2');
    expect(branchSlug('user/bob/fix--it')).toBe('user-bob-fix-it');
    expect(worktreeTrackingPath('feat/training-metrics-v2')).toBe('worktrees/feat-training-metrics-v2.yaml');
  });

  it('is never empty and at most 64 characters; long branches keep apart by a hash', () => {
    expect(branchSlug('_')).toMatch(/^branch-[0-9a-f]{8}$/);
    expect(branchSlug('_')).toBe(branchSlug('_'));
    expect(branchSlug('_')).not.toBe(branchSlug('__'));
    const long = `feat/${'x'.repeat(80)}`;
    const slug = branchSlug(long);
    expect(slug.length).toBeLessThanOrEqual(64);
    expect(slug).toMatch(/^feat-x+-[0-9a-f]{8}$/);
    expect(slug).toBe(branchSlug(long));
    expect(branchSlug(`${long}y`)).not.toBe(slug);
    expect(branchSlug(`feat/${'y'.repeat(57)}`)).toHaveLength(62); // not cut: no hash
    for (const s of [slug, branchSlug('_'), branchSlug('a'.repeat(300))]) expect(s).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('refuses what git refuses as a branch name, with VALUE_INVALID', () => {
    for (const ok of ['main', 'feat/x', 'a.b', 'v1.2', 'x@y']) expect(branchNameProblem(ok), ok).toBeUndefined();
    const bad = ['', 'HEAD', '@', '-x', 'a..b', '../up', 'a/../b', 'x@{1}', 'a b', 'a:b', 'a~1', 'a^', 'a?', 'a*', 'a[b', 'a\\b', 'nul\0', 'tab\t', '/a', 'a/', 'a//b', 'a.', '.hidden', 'a/.b', 'x.lock', 'x.lock/y'];
    for (const b of bad) expect(branchNameProblem(b), JSON.stringify(b)).toBeDefined();
    expect(() => branchSlug('../../etc')).toThrow(expect.objectContaining({ code: 'VALUE_INVALID', message: expect.stringContaining('".."') }));
  });
});

describe('planWorktreeTracking', () => {
  it('plans a new file with every domain active and no commits', () => {
    const plan = planWorktreeTracking(undefined, { name: 'feat/training-metrics-v2', rfc: 'aperture:training-metrics-v2', domains: ['fungal-image-analysis', 'aperture'], now: NOW });
    expect(plan).toEqual({
      created: true,
      changed: true,
      added: ['aperture', 'fungal-image-analysis'],
      file: {
        name: 'feat/training-metrics-v2',
        created_at: '2026-01-24T10:00:00Z',
        source_rfc: 'aperture:training-metrics-v2',
        domains: [
          { name: 'aperture', status: 'active', commits: 0 },
          { name: 'fungal-image-analysis', status: 'active', commits: 0 },
        ],
        coordination: { commits: [] },
      },
    });
    expect(isFileOfKind('worktree', plan.file)).toBe(true);
  });

  it('merges with an existing file: keeps its dates, statuses, counts and commits, appends new domains', () => {
    const existing: WorktreeFile = {
      ...tracking(),
      domains: [
        { name: 'fungal-image-analysis', status: 'pushed', commits: 2, pr: { number: 23, url: 'https://github.com/o/f/pull/23' } },
        { name: 'aperture', status: 'active', commits: 3 },
      ],
      coordination: { commits: [{ message: 'm', linked: false, shas: { aperture: A1, 'fungal-image-analysis': null } }], merge_order: ['aperture', 'fungal-image-analysis'] },
    };
    const later = new Date('2026-02-01T00:00:00Z');
    const again = planWorktreeTracking(existing, { name: existing.name, rfc: 'other', domains: ['aperture', 'fungal-image-analysis'], now: later });
    expect(again).toEqual({ file: existing, created: false, added: [], changed: false });

    const more = planWorktreeTracking(existing, { name: existing.name, rfc: 'other', domains: ['zeta', 'aperture', 'beta', 'beta'], now: later });
    expect(more.added).toEqual(['beta', 'zeta']);
    expect(more.changed).toBe(true);
    expect(more.file).toEqual({
      ...existing,
      domains: [...existing.domains, { name: 'beta', status: 'active', commits: 0 }, { name: 'zeta', status: 'active', commits: 0 }],
    });
  });

  it('refuses bad domain names and a file of another branch with the same slug', () => {
    expect(() => planWorktreeTracking(undefined, { name: 'feat/x', rfc: 'r', domains: ['../up'], now: NOW })).toThrow(expect.objectContaining({ code: 'NAME_INVALID' }));
    const other = planWorktreeTracking(undefined, { name: 'feat-x', rfc: 'r', domains: ['a'], now: NOW }).file;
    expect(() => planWorktreeTracking(other, { name: 'feat/x', rfc: 'r', domains: ['a'], now: NOW })).toThrow(
      expect.objectContaining({ code: 'VALUE_INVALID', message: expect.stringContaining('already tracks branch "feat-x"') }),
    );
  });
});

describe('recordCoordinatedCommit', () => {
  it('appends a linked commit naming every domain, counting the ones that committed', () => {
    const plan = recordCoordinatedCommit(tracking(['aperture', 'fungal-image-analysis', 'zeta']), { message: 'feat: metrics', shas: { aperture: A1, 'fungal-image-analysis': F1 } });
    expect(plan).toMatchObject({ recorded: true, linked: true, committed: ['aperture', 'fungal-image-analysis'] });
    expect(plan.file.coordination.commits).toEqual([{ message: 'feat: metrics', linked: true, shas: { aperture: A1, 'fungal-image-analysis': F1, zeta: null } }]);
    expect(plan.file.domains.map((d) => [d.name, d.commits])).toEqual([['aperture', 1], ['fungal-image-analysis', 1], ['zeta', 0]]);
  });

  it('is not linked for one domain, or with link: false; a pushed domain becomes active again', () => {
    const base = { ...tracking(), domains: tracking().domains.map((d) => ({ ...d, status: 'pushed' as const })) };
    const one = recordCoordinatedCommit(base, { message: 'm', shas: { aperture: A1, 'fungal-image-analysis': null } });
    expect(one).toMatchObject({ recorded: true, linked: false });
    expect(one.file.domains.map((d) => d.status)).toEqual(['active', 'pushed']);
    const unlinked = recordCoordinatedCommit(base, { message: 'm', shas: { aperture: A1, 'fungal-image-analysis': F1 }, link: false });
    expect(unlinked.file.coordination.commits[0]?.linked).toBe(false);
  });

  it('records the same SHAs only once, and only the new ones of a partly recorded commit', () => {
    const first = recordCoordinatedCommit(tracking(), { message: 'm', shas: { aperture: A1, 'fungal-image-analysis': null } }).file;
    const again = recordCoordinatedCommit(first, { message: 'm', shas: { aperture: A1, 'fungal-image-analysis': null } });
    expect(again).toMatchObject({ recorded: false, committed: [] });
    expect(again.file).toBe(first);
    const nothing = recordCoordinatedCommit(first, { message: 'm', shas: { aperture: null } });
    expect(nothing.recorded).toBe(false);

    const rest = recordCoordinatedCommit(first, { message: 'm2', shas: { aperture: A1, 'fungal-image-analysis': F1 } });
    expect(rest).toMatchObject({ recorded: true, linked: false, committed: ['fungal-image-analysis'] });
    expect(rest.file.coordination.commits[1]).toEqual({ message: 'm2', linked: false, shas: { aperture: null, 'fungal-image-analysis': F1 } });
    expect(rest.file.domains.map((d) => d.commits)).toEqual([1, 1]);

    const next = recordCoordinatedCommit(rest.file, { message: 'm3', shas: { aperture: A2 } });
    expect(next.file.domains.map((d) => d.commits)).toEqual([2, 1]);
    expect(isFileOfKind('worktree', next.file)).toBe(true);
  });

  it('refuses an untracked domain, a bad SHA and an empty message', () => {
    expect(() => recordCoordinatedCommit(tracking(), { message: 'm', shas: { other: A1 } })).toThrow(expect.objectContaining({ code: 'UNKNOWN_DOMAIN', hint: expect.stringContaining('--domains aperture,fungal-image-analysis,other') }));
    expect(() => recordCoordinatedCommit(tracking(), { message: 'm', shas: { aperture: 'HEAD' } })).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }));
    expect(() => recordCoordinatedCommit(tracking(), { message: ' ', shas: { aperture: A1 } })).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }));
  });
});

describe('mergeOrder', () => {
  const edge = (from: string, to: string) => ({ from, to });

  it('puts providers before consumers along a three-domain chain, independent ones by name', () => {
    expect(mergeOrder(['iam', 'aperture', 'fungal'], [edge('fungal', 'iam'), edge('aperture', 'fungal')])).toEqual(['aperture', 'fungal', 'iam']);
    expect(mergeOrder(['c', 'b', 'a'], [])).toEqual(['a', 'b', 'c']);
    expect(mergeOrder(['z', 'b', 'a'], [edge('z', 'a')])).toEqual(['b', 'z', 'a']);
  });

  it('orders through domains that are not part of the change, and ignores the rest of the graph', () => {
    // a -> x -> c: c waits for a even though x has no branch.
    expect(mergeOrder(['c', 'a'], [edge('a', 'x'), edge('x', 'c'), edge('q', 'r'), edge('r', 'q')])).toEqual(['a', 'c']);
    expect(mergeOrder(['b', 'a'], [edge('x', 'a')])).toEqual(['a', 'b']);
  });

  it('refuses a cycle with IMPORT_CYCLE, naming it', () => {
    const cycle = [edge('aperture', 'fungal'), edge('fungal', 'iam'), edge('iam', 'aperture')];
    expect(() => mergeOrder(['aperture', 'fungal', 'iam'], cycle)).toThrow(
      expect.objectContaining({ code: 'IMPORT_CYCLE', message: expect.stringContaining('aperture → fungal → iam → aperture') }),
    );
    expect(() => mergeOrder(['aperture'], [edge('aperture', 'x'), edge('x', 'aperture')])).toThrow(expect.objectContaining({ code: 'IMPORT_CYCLE' }));
  });
});
