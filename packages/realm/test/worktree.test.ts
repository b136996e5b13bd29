import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, verifies } from '@blue/testkit';
import { parse, stringify } from 'yaml';
import { coordinatedCommit, createWorktree, pushWorktrees } from '@blue/realm';
import { ctxIn, sharedRealm } from './helpers.js';

const BRANCH = 'feat/training-metrics-v2';
const SLUG = 'feat-training-metrics-v2';

interface Tracking {
  name: string;
  source_rfc: string;
  domains: Array<{ name: string; status: string; commits: number }>;
  coordination: { commits: Array<{ message: string; linked: boolean; shas: Record<string, string | null> }> };
}

async function trackingOn(box: Parameters<typeof git>[0], remote: string): Promise<Tracking> {
  return parse(await git(box, remote, ['show', `main:worktrees/${SLUG}.yaml`])) as Tracking;
}

async function started() {
  const scene = await sharedRealm();
  const result = await createWorktree(ctxIn(scene.box, scene.aperture.dir), { rfc: 'training-metrics-v2' });
  return { ...scene, result, apertureTree: join(scene.aperture.dir, '.worktrees', SLUG), fungalTree: join(scene.fungal.dir, '.worktrees', SLUG) };
}

describe('unified worktrees', () => {
  verifies(['worktree-created-in-affected-repos', 'worktree-tracked-in-realm'], 'creates the branch in aperture and its importer fungal, tracks it in the realm, and a re-run changes nothing', async () => {
    const { box, aperture, fungal, remote, result, apertureTree, fungalTree } = await started();
    expect(result).toMatchObject({ branch: BRANCH, rfc: 'training-metrics-v2', domain: 'aperture', tracking: { file: `worktrees/${SLUG}.yaml`, created: true, pushed: true } });
    expect(result.worktrees).toEqual([
      expect.objectContaining({ domain: 'aperture', status: 'ok', path: apertureTree, created: true }),
      expect.objectContaining({ domain: 'fungal-image-analysis', status: 'ok', path: fungalTree, created: true }),
    ]);
    expect(result.next_steps[0]).toBe(`cd ${apertureTree}`);
    expect(result.next_steps[1]).toBe(`cd ${fungalTree}  # fungal-image-analysis`);
    for (const [repo, tree] of [[aperture.dir, apertureTree], [fungal.dir, fungalTree]] as const) {
      expect(await git(box, tree, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe(BRANCH);
      expect(await git(box, tree, ['rev-parse', 'HEAD'])).toBe(await git(box, repo, ['rev-parse', 'main']));
      expect(await readFile(join(repo, '.git/info/exclude'), 'utf8')).toContain('.worktrees/');
      expect(await git(box, repo, ['status', '--porcelain'])).not.toContain('.worktrees');
    }
    const tracking = await trackingOn(box, remote);
    expect(tracking).toMatchObject({ name: BRANCH, source_rfc: 'training-metrics-v2', domains: [{ name: 'aperture', status: 'active', commits: 0 }, { name: 'fungal-image-analysis', status: 'active', commits: 0 }] });
    expect(JSON.stringify(tracking)).not.toContain(box.root);

    const realmHead = await git(box, remote, ['rev-parse', 'main']);
    const again = await createWorktree(ctxIn(box, aperture.dir), { rfc: 'training-metrics-v2' });
    expect(again.worktrees.map((w) => w.created)).toEqual([false, false]);
    expect(again.tracking).toMatchObject({ created: false, pushed: false });
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(realmHead);
  });

  verifies(['commit-in-repos-with-changes', 'commits-linked'], 'commits in every worktree with changes and records one linked coordinated commit; nothing left says so', async () => {
    const { box, remote, apertureTree, fungalTree } = await started();
    await appendFile(join(apertureTree, 'models/training/metrics.py'), '\nEXPERIMENTS_PREFIX = "s3://cultivarium-fungal/training-metrics/experiments/"\n');
    await appendFile(join(fungalTree, 'cdk/training_tools_access_stack.py'), '\nEXPERIMENTS = "arn:aws:s3:::cultivarium-fungal/training-metrics/experiments/*"\n');
    const made = await coordinatedCommit(ctxIn(box, fungalTree), { message: 'Add experiments metrics path' });
    expect(made).toMatchObject({ branch: BRANCH, recorded: true, linked: true, tracking: { pushed: true } });
    const shas = Object.fromEntries(made.commits.map((c) => [c.domain, c.sha]));
    expect(shas.aperture).toBe(await git(box, apertureTree, ['rev-parse', 'HEAD']));
    expect(shas['fungal-image-analysis']).toBe(await git(box, fungalTree, ['rev-parse', 'HEAD']));
    expect(made.commits.find((c) => c.domain === 'aperture')?.files).toEqual(['models/training/metrics.py']);
    const tracking = await trackingOn(box, remote);
    expect(tracking.coordination.commits).toEqual([{ message: 'Add experiments metrics path', linked: true, shas }]);
    expect(tracking.domains.map((d) => d.commits)).toEqual([1, 1]);

    // Only fungal changes: not linked, aperture recorded as null.
    await writeFile(join(fungalTree, 'NOTES.md'), 'grants for experiments\n');
    const single = await coordinatedCommit(ctxIn(box, apertureTree), { message: 'Notes' });
    expect(single).toMatchObject({ recorded: true, linked: false });
    expect(single.commits.find((c) => c.domain === 'aperture')).toMatchObject({ status: 'skipped', sha: null });

    const head = await git(box, remote, ['rev-parse', 'main']);
    const nothing = await coordinatedCommit(ctxIn(box, apertureTree), { message: 'again' });
    expect(nothing).toMatchObject({ recorded: false, linked: false });
    expect(nothing.next_steps).toEqual(['Nothing to commit in any worktree: edit files first.']);
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(head);
  });

  verifies('push-all-branches', 'pushes every branch; a push the remote rejects is reported for that repo while the others land', async () => {
    const { box, aperture, fungal, remote, apertureTree, fungalTree } = await started();
    await appendFile(join(apertureTree, 'README.md'), '\nexperiments\n');
    await appendFile(join(fungalTree, 'README.md'), '\nexperiments\n');
    await coordinatedCommit(ctxIn(box, apertureTree), { message: 'docs' });
    await writeFile(join(fungal.remote, 'hooks/pre-receive'), '#!/bin/sh\necho "feature branches need a ticket" >&2\nexit 1\n', { mode: 0o755 });
    const first = await pushWorktrees(ctxIn(box, apertureTree));
    expect(first.pushes).toEqual([
      expect.objectContaining({ domain: 'aperture', status: 'ok', head: await git(box, apertureTree, ['rev-parse', 'HEAD']) }),
      expect.objectContaining({ domain: 'fungal-image-analysis', status: 'failed', error: expect.objectContaining({ code: 'PUSH_REJECTED', message: expect.stringContaining('feature branches need a ticket') }) }),
    ]);
    expect(await git(box, aperture.remote, ['rev-parse', BRANCH])).toBe(await git(box, apertureTree, ['rev-parse', 'HEAD']));
    expect((await trackingOn(box, remote)).domains.map((d) => d.status)).toEqual(['pushed', 'active']);

    await git(box, fungal.remote, ['config', 'core.hooksPath', '/dev/null']);
    const second = await pushWorktrees(ctxIn(box, fungalTree));
    expect(second.pushes.map((p) => [p.domain, p.status, p.message])).toEqual([
      ['aperture', 'ok', 'already up to date'],
      ['fungal-image-analysis', 'ok', expect.stringMatching(/^pushed [0-9a-f]{7} to origin$/)],
    ]);
    expect((await trackingOn(box, remote)).domains.map((d) => d.status)).toEqual(['pushed', 'pushed']);
  });

  verifies(['worktree-created-in-affected-repos', 'cross-org-change'], 'a domain without a local clone is its owners\' part (awaiting, not failed); the others are created, and a path that is not ours is refused untouched', async () => {
    const { box, aperture, fungal } = await sharedRealm();
    const index = join(box.env.BLUE_HOME ?? '', 'index.yaml');
    const text = await readFile(index, 'utf8');
    const parsed = parse(text) as { realms: Array<{ domains?: Array<{ name: string }> }> };
    for (const realm of parsed.realms) realm.domains = (realm.domains ?? []).filter((d) => d.name !== 'fungal-image-analysis');
    await writeFile(index, stringify(parsed));
    const partial = await createWorktree(ctxIn(box, aperture.dir), { rfc: 'training-metrics-v2' });
    expect(partial.worktrees).toEqual([
      expect.objectContaining({ domain: 'aperture', status: 'ok' }),
      expect.objectContaining({ domain: 'fungal-image-analysis', status: 'skipped', message: expect.stringContaining('run this part (blue realm worktree --join feat/training-metrics-v2)') }),
    ]);
    expect(partial.next_steps.at(-1)).toContain('Pending on their owners\' machines: fungal-image-analysis');
    await writeFile(index, text);
    const stray = join(fungal.dir, '.worktrees', SLUG);
    await git(box, fungal.dir, ['worktree', 'add', '-q', '-b', 'other-work', stray]);
    const refused = await createWorktree(ctxIn(box, aperture.dir), { rfc: 'training-metrics-v2' });
    expect(refused.worktrees[1]).toMatchObject({ status: 'failed', error: { code: 'DIRTY_WORKTREE' } });
    expect(await git(box, stray, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('other-work');
  });
});
