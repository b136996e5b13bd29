import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, verifies } from '@blue/testkit';
import { createContext, realmStatus, syncRealm, type Checkpoint } from '@blue/realm';
import { commitFile, EXPERIMENTS, NOW, sharedRealm } from './helpers.js';

// Issue 25: the publish race is short because a sync's realm work is a few git processes, and a
// retry after another clone pushed first is one `git pull --rebase` and one `git push`. Counted with
// a `git` on PATH that logs its folder and arguments, then runs the real git.

/** An environment whose git logs `<folder> <args>` to the returned file before running the real one. */
async function countingGit(root: string, env: Record<string, string | undefined>): Promise<{ env: Record<string, string | undefined>; calls: () => Promise<Array<{ dir: string; args: string }>> }> {
  const bin = join(root, 'counting-bin');
  const log = join(root, 'git-calls.log');
  await mkdir(bin, { recursive: true });
  const real = execFileSync('sh', ['-c', 'command -v git'], { env: { PATH: env.PATH ?? process.env.PATH }, encoding: 'utf8' }).trim();
  await writeFile(join(bin, 'git'), `#!/bin/sh\nprintf '%s\\t%s\\n' "$PWD" "$*" >> "${log}"\nexec "${real}" "$@"\n`);
  await chmod(join(bin, 'git'), 0o755);
  const calls = async (): Promise<Array<{ dir: string; args: string }>> => {
    const text = await readFile(log, 'utf8').catch(() => '');
    await writeFile(log, '');
    return text.split('\n').filter(Boolean).map((line) => {
      const [dir = '', args = ''] = line.split('\t');
      return { dir, args };
    });
  };
  return { env: { ...env, PATH: `${bin}:${env.PATH ?? process.env.PATH ?? ''}` }, calls };
}

describe('the cost of publishing', () => {
  verifies('publish-race-cheap', 'an uncontended sync runs 5 git processes in the realm clone (one commit, no add; HEAD listed for reading by blob id) and one status in the code repo; a push another clone beat costs one pull --rebase and one push', async () => {
    const { box, aperture, realm, remote, fungalRealm } = await sharedRealm();
    const counting = await countingGit(box.root, box.env);
    const ctx = (cwd: string, checkpoint?: (step: Checkpoint) => void): ReturnType<typeof createContext> =>
      createContext({ cwd, env: counting.env, now: () => NOW, ...(checkpoint === undefined ? {} : { checkpoint }) });

    // As a user's machine: an earlier command already worked out the realm's identity (cached in BLUE_HOME).
    await realmStatus(ctx(aperture.dir));
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    await counting.calls();
    const alone = await syncRealm(ctx(aperture.dir));
    expect(alone).toMatchObject({ pushed: true, push_attempts: 1, exports: [{ to_version: '1.1.0' }] });
    const all = await counting.calls();
    const inRealm = all.filter((c) => c.dir === realm);
    expect(inRealm.length, inRealm.map((c) => c.args).join('\n')).toBeLessThanOrEqual(8);
    // Five: the clean check, the pull, HEAD's listing (reading by blob id), one commit (no add), the push
    // (the clone's origin and upstream come from its config file).
    const verb = (args: string): string => args.replace(/^(-c \S+ )+/, '').split(' ')[0] ?? '';
    expect(inRealm.map((c) => verb(c.args)).sort(), inRealm.map((c) => c.args).join('\n')).toEqual(['commit', 'ls-tree', 'pull', 'push', 'status']);
    // In the code repo: one status (asked beside the pull); who publishes is not asked for a change that is not breaking.
    const inRepo = all.filter((c) => c.dir === aperture.dir).map((c) => verb(c.args));
    expect(inRepo.filter((v) => v === 'status')).toHaveLength(1);
    expect(inRepo).not.toContain('config');
    expect(inRealm.filter((c) => / pull /.test(` ${c.args} `))).toHaveLength(1);
    expect(inRealm.filter((c) => c.args.startsWith('push '))).toHaveLength(1);

    // Contended: right after aperture commits (under its lock), the other clone of the realm pushes
    // first (synchronously, in the checkpoint); aperture's push is rejected, and its retry is
    // exactly a pull --rebase and a push.
    await commitFile(box, aperture.dir, 'models/training/archive.py', EXPERIMENTS.replace('experiments/', 'archive/').replace('export_experiment', 'archive'));
    await git(box, fungalRealm, ['pull', '-q']);
    const beforeRace = await git(box, remote, ['rev-parse', 'main']);
    let raced = false;
    const racing = ctx(aperture.dir, (step) => {
      if (step !== 'realm:committed' || raced) return;
      raced = true;
      const run = (...args: string[]): void => void execFileSync('git', args, { cwd: fungalRealm, env: box.env, stdio: 'ignore' });
      writeFileSync(join(fungalRealm, 'domains/fungal-image-analysis/notes.txt'), 'first\n');
      run('add', '-A');
      run('commit', '-qm', 'fungal: first');
      run('push', '-q');
    });
    await counting.calls();
    const contended = await syncRealm(racing);
    expect(raced).toBe(true);
    expect(contended.pushed).toBe(true);
    expect(contended.realm_push?.attempts.map((a) => a.outcome)).toEqual(['behind', 'pushed']);
    const log = (await counting.calls()).filter((c) => c.dir === realm).map((c) => c.args);
    const pushes = log.flatMap((a, i) => (a.startsWith('push ') ? [i] : []));
    expect(pushes, log.join('\n')).toHaveLength(2);
    const between = log.slice((pushes[0] ?? 0) + 1, pushes[1]);
    expect(between, log.join('\n')).toHaveLength(1);
    expect(between[0]).toContain('pull --rebase');
    // Nothing lost: the winner's commit and aperture's are both on the remote, aperture's on top.
    expect(await git(box, remote, ['log', '--format=%s', `${beforeRace}..main`])).toBe(['aperture: export required-s3-permissions@1.2.0', 'fungal: first'].join('\n'));
  });
});
