import { describe, expect, it } from 'vitest';
import { defaultPullTitle, evaluateMergeOrder, linkedPullBody, linkedPullSection, mergeOrderLine, mergePlan, planWorktreeTracking, recordCoordinatedCommit, pullLinks, withLinkedSection, type GatePull } from '@blue/core';

const edge = (from: string, to: string) => ({ from, to });
const file = recordCoordinatedCommit(
  planWorktreeTracking(undefined, { name: 'feat/training-metrics-v2', rfc: 'training-metrics-v2', domains: ['aperture', 'fungal', 'iam'], now: new Date('2026-01-24T10:00:00Z') }).file,
  { message: 'feat: experiments\n\nlonger text', shas: { aperture: 'a'.repeat(40), fungal: null, iam: null } },
).file;
const plan = mergePlan(['iam', 'fungal', 'aperture'], [edge('aperture', 'fungal'), edge('fungal', 'iam')]);
const pulls = { aperture: { number: 45, url: 'https://gh/aperture/pull/45' }, fungal: { number: 23, url: 'https://gh/fungal/pull/23' } };

describe('linked pull requests', () => {
  it('names, for each domain, every provider it waits for (transitively), in merge order', () => {
    expect(plan).toEqual({ order: ['aperture', 'fungal', 'iam'], providers: { aperture: [], fungal: ['aperture'], iam: ['aperture', 'fungal'] } });
    expect(pullLinks('iam', plan, pulls)).toEqual({ links_to: ['aperture#45', 'fungal#23'], blocked_by: ['aperture#45', 'fungal#23'] });
    expect(mergeOrderLine(plan.order, pulls)).toBe('aperture#45 → fungal#23 → iam');
  });

  it('writes a body that links the others, says what merges first, and is the same for the same input', () => {
    const body = linkedPullBody({ domain: 'fungal', realm: 'letemcook', file, plan, pulls });
    expect(body).toContain('Part of the coordinated change **training-metrics-v2** across 3 repositories (branch `feat/training-metrics-v2`).');
    expect(body).toContain('Links to: [aperture#45](https://gh/aperture/pull/45), iam (no pull request yet)\n');
    expect(body).toContain('Blocked by: [aperture#45](https://gh/aperture/pull/45) (merge aperture first)\n');
    expect(body).toContain('Merge order: aperture#45 → fungal#23 → iam\n');
    expect(linkedPullBody({ domain: 'fungal', realm: 'letemcook', file, plan, pulls })).toBe(body);
    const own = linkedPullBody({ domain: 'aperture', realm: 'letemcook', file, plan, pulls, text: 'Adds experiments.' });
    expect(own.startsWith('Adds experiments.\n\n<!-- blue:linked-pulls -->\n---\n')).toBe(true);
    expect(own).not.toContain('Blocked by');
  });

  it('titles a pull request after the domain\'s last coordinated commit, else the change', () => {
    expect(defaultPullTitle(file, 'aperture')).toBe('feat: experiments');
    expect(defaultPullTitle(file, 'fungal')).toBe('training-metrics-v2');
  });

  it('replaces only Blue\'s marked part of a body, keeping what a person wrote above and below it', () => {
    const body = linkedPullBody({ domain: 'fungal', realm: 'letemcook', file, plan, pulls, text: 'Mine.' });
    const edited = body.replace('Mine.', 'Mine, edited on GitHub.') + '\nReviewers: please check the grants.\n';
    const moved = linkedPullSection({ domain: 'fungal', realm: 'letemcook', file, plan, pulls: { ...pulls, iam: { number: 9, url: 'https://gh/iam/pull/9' } } });
    const next = withLinkedSection(edited, moved);
    expect(next.startsWith('Mine, edited on GitHub.\n\n<!-- blue:linked-pulls -->')).toBe(true);
    expect(next).toContain('[iam#9](https://gh/iam/pull/9)');
    expect(next.endsWith('<!-- /blue:linked-pulls -->\n\nReviewers: please check the grants.\n')).toBe(true);
    expect(withLinkedSection(next, moved)).toBe(next);
    expect(withLinkedSection(next, moved, 'New words.').startsWith('New words.\n\n<!-- blue:linked-pulls -->')).toBe(true);
    // A body written before the markers: Blue's old part is replaced, the text kept.
    expect(withLinkedSection('Old text.\n\n---\n🔗 Linked by Blue (realm x)\nMerge order: a\n', moved)).toBe(`Old text.\n\n${moved}\n`);
    expect(withLinkedSection('', moved)).toBe(`${moved}\n`);
  });
});

describe('the merge-order check', () => {
  const open = (n: number): GatePull => ({ number: n, url: `https://gh/p/${n}`, state: 'open' });
  const wait = { provider: 'aperture', consumer: 'fungal', contract: 's3-paths', range: '^2.0.0', published_before: '1.0.0' };

  it('waits for every upstream pull request, fails on one closed unmerged, and succeeds once merged and published', () => {
    const states = (pullsNow: Record<string, GatePull | undefined>, published: string[]) =>
      evaluateMergeOrder({ plan, pulls: pullsNow, exportWaits: [{ ...wait, published }] }).map((v) => [v.domain, v.state, v.description, v.target_url]);
    expect(states({ aperture: open(45), fungal: open(23), iam: undefined }, ['1.0.0'])).toEqual([
      ['aperture', 'success', 'first in the merge order: nothing to wait for', 'https://gh/p/45'],
      ['fungal', 'pending', 'waiting for aperture#45 to merge', 'https://gh/p/45'],
      ['iam', 'pending', 'waiting for aperture#45 to merge, fungal#23 to merge', 'https://gh/p/45'],
    ]);
    const merged = { aperture: { ...open(45), state: 'merged' as const }, fungal: open(23), iam: open(7) };
    expect(states(merged, ['1.0.0'])[1]).toEqual(['fungal', 'pending', expect.stringContaining('aperture to publish s3-paths (newer than 1.0.0'), 'https://gh/p/45']);
    expect(states(merged, ['1.0.0', '3.0.0'])[1]).toEqual(['fungal', 'pending', 'waiting for s3-paths in a version fungal imports (^2.0.0; 3.0.0 is published): update the import', 'https://gh/p/45']);
    expect(states(merged, ['1.0.0', '2.1.0'])[1]).toEqual(['fungal', 'success', 'aperture#45 merged; exports published', 'https://gh/p/23']);
    expect(states(merged, ['1.0.0', '2.1.0'])[2]).toEqual(['iam', 'pending', 'waiting for fungal#23 to merge', 'https://gh/p/23']);
    const closed = { ...merged, fungal: { ...open(23), state: 'closed' as const } };
    expect(states(closed, ['2.1.0'])[2]).toEqual(['iam', 'failure', 'fungal#23 was closed without merging: reopen it, or finish the change without fungal', 'https://gh/p/23']);
  });

  it('keeps descriptions within GitHub\'s 140 characters', () => {
    const long = mergePlan(['a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60)], [edge('a'.repeat(60), 'c'.repeat(60)), edge('b'.repeat(60), 'c'.repeat(60))]);
    const [, , last] = evaluateMergeOrder({ plan: long, pulls: {}, exportWaits: [] });
    expect(last?.description.length).toBe(140);
    expect(last?.state).toBe('pending');
  });
});
