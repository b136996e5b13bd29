import { describe, expect, it } from 'vitest';
import { blueMarker } from '@blue/github';
import { repo, standInWithClient } from './helpers.js';

describe('issues through Octokit against the stand-in', () => {
  it('creates an issue with a hidden marker, and the same call again finds it instead of creating a second', async () => {
    const { standIn, client } = await standInWithClient();
    const marker = blueMarker('sync/aperture/s3-paths@2.0.0');
    const input = { marker, title: 'aperture published s3-paths 2.0.0', body: 'Update your binding.', labels: ['blue'] };

    const first = await client.ensureIssue(repo, input);
    const second = await client.ensureIssue(repo, input);

    expect(first).toMatchObject({ created: true, updated: false, value: { number: 1, state: 'open', labels: ['blue'] } });
    expect(first.value.body).toBe(`Update your binding.\n\n${marker}`);
    expect(second).toEqual({ created: false, updated: false, value: first.value });
    expect(standIn.state.issues('acme/widgets')).toHaveLength(1);
    expect(first.value.url).toBe(`${standIn.url}/acme/widgets/issues/1`);
    // The second call found the issue through search, without listing.
    expect(standIn.requests.filter((r) => r.operationId === 'issues/create')).toHaveLength(1);
  });

  it('finds an issue search has not indexed yet by listing recent issues (GitHub indexes with a delay)', async () => {
    const { standIn, client } = await standInWithClient({ standIn: { searchIndexing: 'manual' } });
    const marker = blueMarker('sync/lagging');
    const created = await client.ensureIssue(repo, { marker, title: 'T', body: 'B' });
    const again = await client.ensureIssue(repo, { marker, title: 'T', body: 'B' });
    expect(again).toMatchObject({ created: false, value: { number: created.value.number } });
    expect(standIn.state.issues()).toHaveLength(1);
    expect(standIn.requests.map((r) => r.operationId)).toEqual([
      'search/issues-and-pull-requests',
      'issues/list-for-repo',
      'issues/create',
      'search/issues-and-pull-requests',
      'issues/list-for-repo',
    ]);
  });

  it('does not mistake a marker that merely starts the same, a pull request, or a marker in the title for the issue', async () => {
    const { client } = await standInWithClient();
    await client.ensureIssue(repo, { marker: blueMarker('sync/a-longer'), title: 'other', body: '' });
    await client.ensureIssue(repo, { marker: blueMarker('sync/b'), title: `mentions ${blueMarker('sync/a')}`, body: '' });
    expect(await client.findIssue(repo, blueMarker('sync/a'))).toBeUndefined();
    const made = await client.ensureIssue(repo, { marker: blueMarker('sync/a'), title: 'mine', body: '' });
    expect(made).toMatchObject({ created: true, value: { number: 3, body: blueMarker('sync/a') } });
  });

  it('updates title and body of an existing issue only when asked to', async () => {
    const { standIn, client } = await standInWithClient();
    const marker = blueMarker('sync/update');
    await client.ensureIssue(repo, { marker, title: 'v1', body: 'one' });
    const untouched = await client.ensureIssue(repo, { marker, title: 'v2', body: 'two' });
    expect(untouched).toMatchObject({ created: false, updated: false, value: { title: 'v1' } });
    const updated = await client.ensureIssue(repo, { marker, title: 'v2', body: 'two', updateExisting: true });
    expect(updated).toMatchObject({ created: false, updated: true, value: { number: 1, title: 'v2', body: `two\n\n${marker}` } });
    expect(standIn.state.issues()[0]).toMatchObject({ title: 'v2', body: `two\n\n${marker}` });
  });

  it("with state 'open', a closed issue carrying the marker is passed over and a new one opened", async () => {
    const { standIn, client } = await standInWithClient();
    const marker = blueMarker('export-changed/aperture/s3');
    const first = await client.ensureIssue(repo, { marker, title: 'v1', body: 'one', state: 'open' });
    await client.closeIssue(repo, first.value.number);
    expect(await client.findIssue(repo, marker, { state: 'open' })).toBeUndefined();
    expect(await client.findIssue(repo, marker)).toMatchObject({ number: first.value.number, state: 'closed' });
    const second = await client.ensureIssue(repo, { marker, title: 'v2', body: 'two', state: 'open' });
    expect(second).toMatchObject({ created: true, value: { state: 'open', title: 'v2' } });
    expect(second.value.number).not.toBe(first.value.number);
    const third = await client.ensureIssue(repo, { marker, title: 'v3', body: 'three', state: 'open', updateExisting: true });
    expect(third).toMatchObject({ created: false, updated: true, value: { number: second.value.number, title: 'v3' } });
    expect(standIn.state.issues()).toHaveLength(2);
  });

  it('comments once per marker and closes idempotently with a reason', async () => {
    const { standIn, client } = await standInWithClient();
    const { value: issue } = await client.ensureIssue(repo, { marker: blueMarker('sync/close'), title: 'T', body: 'B' });
    const note = blueMarker('sync/close/resolved');
    const c1 = await client.commentOnIssue(repo, issue.number, 'Resolved by 2.0.1', { marker: note });
    const c2 = await client.commentOnIssue(repo, issue.number, 'Resolved by 2.0.1', { marker: note });
    expect(c1.created).toBe(true);
    expect(c2).toEqual({ created: false, updated: false, value: c1.value });
    await client.commentOnIssue(repo, issue.number, 'a plain comment');

    const closed = await client.closeIssue(repo, issue.number, { reason: 'not_planned', comment: 'Closing', commentMarker: blueMarker('sync/close/closing') });
    const closedAgain = await client.closeIssue(repo, issue.number, { reason: 'not_planned', comment: 'Closing', commentMarker: blueMarker('sync/close/closing') });
    expect(closed.state).toBe('closed');
    expect(closedAgain).toEqual(closed);
    const [state] = standIn.state.issues();
    expect(state).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
    expect(state!.comments.map((c) => c.body)).toEqual([`Resolved by 2.0.1\n\n${note}`, 'a plain comment', `Closing\n\n${blueMarker('sync/close/closing')}`]);
    expect(standIn.requests.filter((r) => r.operationId === 'issues/update')).toHaveLength(1);
  });

  it('with update, keeps one marked comment current in place: rewritten when it differs, left alone when it does not', async () => {
    const { standIn, client } = await standInWithClient();
    const { value: issue } = await client.ensureIssue(repo, { marker: blueMarker('sync/report'), title: 'T', body: 'B' });
    const report = blueMarker('pr-check/aperture');
    const first = await client.commentOnIssue(repo, issue.number, 'run 1: ok', { marker: report, update: true });
    const second = await client.commentOnIssue(repo, issue.number, 'run 2: 1 problem', { marker: report, update: true });
    const third = await client.commentOnIssue(repo, issue.number, 'run 2: 1 problem', { marker: report, update: true });
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, updated: true, value: { id: first.value.id, body: `run 2: 1 problem\n\n${report}` } });
    expect(third).toMatchObject({ created: false, updated: false, value: { id: first.value.id } });
    expect(standIn.state.issues()[0]!.comments.map((c) => c.body)).toEqual([`run 2: 1 problem\n\n${report}`]);
    expect(standIn.requests.filter((r) => r.operationId === 'issues/update-comment')).toHaveLength(1);
  });

  it('finds a closed issue by its marker too, so a re-run never reopens a duplicate', async () => {
    const { standIn, client } = await standInWithClient();
    const marker = blueMarker('sync/closed');
    const { value } = await client.ensureIssue(repo, { marker, title: 'T', body: 'B' });
    await client.closeIssue(repo, value.number);
    expect(await client.ensureIssue(repo, { marker, title: 'T', body: 'B' })).toMatchObject({ created: false, value: { state: 'closed' } });
    expect(standIn.state.issues()).toHaveLength(1);
  });

  it('pages through search results and issue lists with Link headers', async () => {
    const { standIn, client } = await standInWithClient({ standIn: { searchIndexing: 'manual' }, client: { recentIssuePages: 5 } });
    for (let i = 0; i < 230; i++) {
      const res = await fetch(`${standIn.apiUrl}/repos/acme/widgets/issues`, {
        method: 'POST',
        headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `#${i}`, body: blueMarker(`bulk/${i}`) }),
      });
      expect(res.status).toBe(201);
    }
    // 230 issues, none searchable: the oldest is on the third page of 100 when listing newest first.
    expect(standIn.state.issues()).toHaveLength(230);
    expect(await client.findIssue(repo, blueMarker('bulk/0'))).toMatchObject({ number: 1 });
    const pages = standIn.requests.filter((r) => r.operationId === 'issues/list-for-repo').slice(-3);
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
  }, 60_000);

  it('reads the default branch', async () => {
    const { standIn, client } = await standInWithClient();
    standIn.addRepo({ owner: 'acme', name: 'legacy', defaultBranch: 'trunk' });
    expect(await client.getDefaultBranch({ owner: 'acme', name: 'legacy' })).toBe('trunk');
  });
});
