import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, letemcookScenario, runBlue, sandbox, verifies } from '@blue/testkit';

const BRANCH = 'feat/training-metrics-v2';
const SLUG = 'feat-training-metrics-v2';

/**
 * A post-checkout hook (run by `git worktree add` as its last step) that SIGKILLs the `blue`
 * process which started git, once: blue dies in the middle of its worktree run, at a known point.
 * blue is the nearest `node` above git (git may be started by a shell blue started).
 */
const KILL_BLUE_ONCE = `#!/bin/sh
[ -e "$0.fired" ] && exit 0
: > "$0.fired"
blue=$(cut -d' ' -f4 /proc/$PPID/stat)
while [ "$blue" -gt 1 ] && [ "$(cat /proc/$blue/comm)" != node ]; do blue=$(cut -d' ' -f4 /proc/$blue/stat); done
kill -KILL "$blue"
`;

describe('a killed worktree run', () => {
  verifies('worktree-created-in-affected-repos', 'blue SIGKILLed while adding a worktree: the same command again converges, with no duplicate branch or worktree', async () => {
    const box = await sandbox();
    const s = await letemcookScenario(box, { under: 'killed' });
    await writeFile(join(s.fungal.dir, '.git/hooks/post-checkout'), KILL_BLUE_ONCE, { mode: 0o755 });
    const killed = await runBlue(box, ['realm', 'worktree', '--rfc', 'training-metrics-v2'], { cwd: s.aperture.dir });
    expect(killed.signal).toBe('SIGKILL');
    await expect(access(join(s.realm, 'worktrees', `${SLUG}.yaml`))).rejects.toThrow();

    const again = await runBlue(box, ['realm', 'worktree', '--rfc', 'training-metrics-v2', '--json'], { cwd: s.aperture.dir });
    expect(again.exitCode, again.stderr).toBe(0);
    const result = again.json<{ worktrees: Array<{ domain: string; status: string; created: boolean }>; tracking: { created: boolean } }>();
    expect(result.worktrees.map((w) => [w.domain, w.status])).toEqual([['aperture', 'ok'], ['fungal-image-analysis', 'ok']]);
    expect(result.worktrees.find((w) => w.domain === 'fungal-image-analysis')?.created).toBe(false);
    expect(result.tracking.created).toBe(true);
    for (const repo of [s.aperture.dir, s.fungal.dir]) {
      const listed = (await git(box, repo, ['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '));
      expect(listed).toHaveLength(2);
      expect(await git(box, repo, ['branch', '--list', '--format=%(refname:short)'])).toBe(`${BRANCH}\nmain`);
      expect(await readdir(join(repo, '.worktrees'))).toEqual([SLUG]);
    }
    expect(await git(box, s.realm, ['status', '--porcelain'])).toBe('');
    expect(await git(box, s.realm, ['log', '--format=%s', '-1'])).toContain(`worktree ${BRANCH}`);
  });
});
