import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, sandbox } from '@blue/testkit';
import { createContext, type ProgressEvent } from '../src/context.js';
import { addWorktrees } from '../src/worktree/add-worktrees.js';
import { defaultPoolSize } from '../src/run-limited.js';

const BRANCH = 'feat/many-repos';
const SLUG = 'feat-many-repos';

describe('addWorktrees across more repos than one pool of lanes', () => {
  it('every repo gets its worktree, each failure stays its own repo\'s, outcomes in the order asked', async () => {
    const box = await sandbox();
    // One more than two pools' worth: the lanes take several repos each.
    const count = 2 * defaultPoolSize() + 1;
    const names = Array.from({ length: count }, (_, i) => `r${String(i).padStart(2, '0')}`);
    for (const name of names) {
      const dir = join(box.root, name);
      await mkdir(dir);
      await writeFile(join(dir, 'README.md'), `# ${name}\n`);
      await git(box, dir, ['init', '--quiet', '--initial-branch=main']);
      await git(box, dir, ['add', '--all']);
      await git(box, dir, ['commit', '--quiet', '-m', 'initial']);
    }
    // A file in the way in an early repo and a late one: refused, untouched.
    const blocked = [names[1], names[count - 2]] as string[];
    for (const name of blocked) {
      await mkdir(join(box.root, name, '.worktrees'));
      await writeFile(join(box.root, name, '.worktrees', SLUG), 'not a worktree\n');
    }
    const repoOf = (domain: string): Promise<string> => Promise.resolve(join(box.root, domain));
    const events: ProgressEvent[] = [];
    const ctx = createContext({ cwd: box.root, env: box.env, progress: { report: (e) => events.push(e) } });
    const outcomes = await addWorktrees(ctx, names, BRANCH, repoOf, () => false);

    expect(outcomes.map((o) => o.domain)).toEqual(names);
    for (const outcome of outcomes) {
      const repo = join(box.root, outcome.domain);
      if (blocked.includes(outcome.domain)) {
        expect(outcome).toMatchObject({ status: 'failed', error: { code: 'DIRTY_WORKTREE' } });
        expect(await git(box, repo, ['branch', '--list', '--format=%(refname:short)'])).toBe('main');
        continue;
      }
      expect(outcome).toMatchObject({ status: 'ok', created: true, path: join(repo, '.worktrees', SLUG) });
      expect(await git(box, join(repo, '.worktrees', SLUG), ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe(BRANCH);
    }
    // Each repo reported once as started and once as done.
    for (const name of names) expect(events.filter((e) => e.target === name).map((e) => e.status)).toEqual(['started', blocked.includes(name) ? 'failed' : 'ok']);

    // Run again: every worktree is found, none made twice.
    const again = await addWorktrees(ctx, names, BRANCH, repoOf, () => true);
    expect(again.filter((o) => o.status === 'ok').map((o) => o.created)).toEqual(Array.from({ length: count - blocked.length }, () => false));
  }, 60_000);
});
