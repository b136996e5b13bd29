import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, verifies, type Sandbox } from '@blue/testkit';
import { parse } from 'yaml';
import { approveChange, createContext, realmStatus, syncRealm, type BlueContext } from '@blue/realm';
import { ctxIn, type ExportsFile, NOW, sharedRealm } from './helpers.js';

const BRANCH = 'blue/breaking/aperture/required-s3-permissions@2.0.0';
const DAY = 86_400_000;

function ctxAt(box: Sandbox, cwd: string, now: Date, env: Record<string, string> = {}): BlueContext {
  return createContext({ cwd, env: { ...box.env, ...env }, now: () => now });
}

/** aperture stops writing training-runs/*: a removed value, so a breaking 2.0.0. */
async function dropRuns(box: Sandbox, aperture: string): Promise<void> {
  await writeFile(join(aperture, 'models/training/runs.py'), '"""Runs moved elsewhere."""\n');
  await git(box, aperture, ['commit', '-qam', 'drop runs']);
}

async function published(realm: string): Promise<ExportsFile['exports'][number] | undefined> {
  return (parse(await readFile(join(realm, 'domains/aperture/exports.yaml'), 'utf8')) as ExportsFile).exports[0];
}

describe('breaking changes and governance', () => {
  verifies('breaking-changes-flagged', 'a non-approver\'s breaking change waits on a realm branch; main and consumers are untouched', async () => {
    const { box, aperture, fungal, realm, remote } = await sharedRealm();
    await git(box, aperture.dir, ['config', 'user.email', 'dev@aperture.example']);
    await dropRuns(box, aperture.dir);
    const mainBefore = await git(box, remote, ['rev-parse', 'main']);
    const held = await syncRealm(ctxIn(box, aperture.dir));
    expect(held.exports[0]).toMatchObject({
      status: 'updated',
      to_version: '2.0.0',
      breaking: true,
      approval: { status: 'pending', approvers: ['test@blue.example'], branch: BRANCH, branch_pushed: true },
    });
    expect(held.commit).toBeUndefined();
    expect(held.notifications).toEqual([]);
    expect(held.next_steps.join('\n')).toContain('blue realm approve --domain aperture --export required-s3-permissions --version 2.0.0');
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(mainBefore);
    expect((await published(realm))?.version).toBe('1.0.0');
    expect(await git(box, remote, ['log', '-1', '--format=%s', BRANCH])).toBe('aperture: export required-s3-permissions@2.0.0 (breaking, awaiting approval)');
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
    expect((await realmStatus(ctxIn(box, fungal.dir))).imports[0]?.status).toBe('current');
    // The provider's status says the change waits for an approver (not merely "local changes").
    const provider = await realmStatus(ctxIn(box, aperture.dir));
    expect(provider.exports[0]).toMatchObject({ state: 'changed', awaiting_approval: { version: '2.0.0', branch: BRANCH } });
    expect(provider.next_steps[0]).toBe('required-s3-permissions@2.0.0 (breaking) awaits approval: ask an approver (test@blue.example) to run: blue realm approve --domain aperture --export required-s3-permissions --version 2.0.0');

    // Syncing again holds the same change without a new commit on the branch.
    const tip = await git(box, remote, ['rev-parse', BRANCH]);
    await syncRealm(ctxIn(box, aperture.dir));
    expect(await git(box, remote, ['rev-parse', BRANCH])).toBe(tip);
  });

  verifies('breaking-changes-flagged', 'an approver approves: 2.0.0 reaches main with approved_by; importers of ^1 are stale with the deadline, then broken', async () => {
    const { box, aperture, fungal, fungalRealm, remote } = await sharedRealm();
    await git(box, aperture.dir, ['config', 'user.email', 'dev@aperture.example']);
    await dropRuns(box, aperture.dir);
    await syncRealm(ctxIn(box, aperture.dir));

    await expect(approveChange(ctxAt(box, fungalRealm, NOW, { GIT_AUTHOR_EMAIL: 'dev@aperture.example' }), { domain: 'aperture', export: 'required-s3-permissions' })).rejects.toMatchObject({
      code: 'BREAKING_NEEDS_APPROVAL',
      hint: expect.stringContaining('test@blue.example') as unknown,
    });
    const approved = await approveChange(ctxIn(box, fungalRealm), { domain: 'aperture', export: 'required-s3-permissions' });
    expect(approved).toMatchObject({ from_version: '1.0.0', version: '2.0.0', approved_by: 'test@blue.example', approved_at: '2026-01-24T10:00:00Z', pushed: true, branch: BRANCH });
    // Like a sync, the approval leaves a notice in each importer's inbox (no session runs here).
    expect(approved.live).toEqual({ elsewhere: 'realm-remote', announcements: [{ export: 'required-s3-permissions', version: '2.0.0', inboxes: ['fungal-image-analysis'], sessions: 0, delivered: 0 }] });
    expect((await realmStatus(ctxAt(box, fungal.dir, NOW))).notices).toEqual([
      expect.objectContaining({ kind: 'export-changed', from: 'aperture', export: 'required-s3-permissions', new_version: '2.0.0', breaking: true }),
      expect.objectContaining({ kind: 'grace-started', from: 'aperture', export: 'required-s3-permissions', new_version: '2.0.0', until: '2026-02-07T10:00:00Z' }),
    ]);
    expect(await git(box, remote, ['log', '-1', '--format=%s', 'main'])).toBe('aperture: export required-s3-permissions@2.0.0 (breaking, approved by test@blue.example)');
    expect(await git(box, remote, ['branch', '--list', BRANCH])).toBe('');
    const entry = (await published(fungalRealm))?.changelog[0];
    expect(entry).toMatchObject({ version: '2.0.0', breaking: true, approved_by: 'test@blue.example', approved_at: '2026-01-24T10:00:00Z' });

    const inGrace = await realmStatus(ctxAt(box, fungal.dir, new Date(NOW.getTime() + 13 * DAY)));
    expect(inGrace.imports[0]).toMatchObject({ status: 'stale', grace_until: '2026-02-07T10:00:00Z' });
    expect(inGrace.imports[0]?.reasons.join(' ')).toContain('move to it before 2026-02-07T10:00:00Z');
    // What the realm implies, by the clock: the grace period started; in its last day, it ends soon.
    const kinds = (r: { notices: Array<{ kind: string; until?: string }> }) => r.notices.map((n) => [n.kind, n.until]);
    expect(kinds(await realmStatus(ctxAt(box, fungal.dir, new Date(NOW.getTime() + DAY))))).toEqual([['export-changed', undefined], ['grace-started', '2026-02-07T10:00:00Z']]);
    expect(kinds(inGrace)).toEqual([['export-changed', undefined], ['grace-started', '2026-02-07T10:00:00Z'], ['grace-ending', '2026-02-07T10:00:00Z']]);
    // What resolves it is widening the range, not a sync.
    expect(inGrace.next_steps.join('\n')).toContain(`before 2026-02-07T10:00:00Z: update ${inGrace.imports[0]?.binding ?? ''}, then blue realm import --contract required-s3-permissions --from aperture --version ^2.0.0 --binding`);
    expect(inGrace.next_steps.join('\n')).not.toContain('record the imports as resolved');
    const after = await realmStatus(ctxAt(box, fungal.dir, new Date(NOW.getTime() + 15 * DAY)));
    expect(after.imports[0]).toMatchObject({ status: 'broken', grace_until: '2026-02-07T10:00:00Z' });
    // Sync records stale (not current) inside the grace period.
    const synced = await syncRealm(ctxAt(box, fungal.dir, new Date(NOW.getTime() + DAY)));
    expect(synced.imports[0]).toMatchObject({ status: 'stale', resolved_version: '1.0.0' });

    await expect(approveChange(ctxIn(box, fungalRealm), { domain: 'aperture', export: 'required-s3-permissions' })).rejects.toMatchObject({ code: 'NOTHING_TO_APPROVE' });
    await expect(approveChange(ctxIn(box, fungalRealm), { domain: 'aperture', export: 'no-such-export' })).rejects.toMatchObject({ code: 'UNKNOWN_CONTRACT', message: expect.stringContaining('aperture exports no "no-such-export"') as unknown });
  });

  verifies('breaking-changes-flagged', 'an approver\'s own breaking change is published at once and recorded as approved by them', async () => {
    const { box, aperture, realm } = await sharedRealm();
    await dropRuns(box, aperture.dir);
    const result = await syncRealm(ctxIn(box, aperture.dir));
    expect(result.exports[0]).toMatchObject({ to_version: '2.0.0', breaking: true, approval: { status: 'approved', approved_by: 'test@blue.example' } });
    expect(result.pushed).toBe(true);
    expect((await published(realm))?.changelog[0]).toMatchObject({ version: '2.0.0', breaking: true, approved_by: 'test@blue.example' });
  });

  verifies('breaking-changes-flagged', 'a change published over a held one makes the approval outdated', async () => {
    const { box, aperture, fungalRealm } = await sharedRealm();
    await git(box, aperture.dir, ['config', 'user.email', 'dev@aperture.example']);
    await dropRuns(box, aperture.dir);
    await syncRealm(ctxIn(box, aperture.dir));
    // An approver publishes a different change of the same export directly on main.
    await git(box, fungalRealm, ['pull', '-q', '--rebase']);
    const file = join(fungalRealm, 'domains/aperture/exports.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^(\s+)version: 1\.0\.0$/m, '$1version: 1.0.1').replace('changelog:\n', 'changelog:\n      - version: 1.0.1\n        date: 2026-01-24\n        changes: [description updated]\n'));
    await git(box, fungalRealm, ['commit', '-qam', 'aperture 1.0.1']);
    await git(box, fungalRealm, ['push', '-q']);
    await expect(approveChange(ctxIn(box, fungalRealm), { domain: 'aperture', export: 'required-s3-permissions' })).rejects.toMatchObject({ code: 'APPROVAL_OUTDATED' });
  });
});
