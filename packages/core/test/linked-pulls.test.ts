import { describe, expect, it } from 'vitest';
import { defaultPullTitle, linkedPullBody, mergeOrderLine, mergePlan, planWorktreeTracking, recordCoordinatedCommit, pullLinks } from '@blue/core';

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
    expect(own.startsWith('Adds experiments.\n\n---\n')).toBe(true);
    expect(own).not.toContain('Blocked by');
  });

  it('titles a pull request after the domain\'s last coordinated commit, else the change', () => {
    expect(defaultPullTitle(file, 'aperture')).toBe('feat: experiments');
    expect(defaultPullTitle(file, 'fungal')).toBe('training-metrics-v2');
  });
});
