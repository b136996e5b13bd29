// runGitMany starts git commands from one /bin/sh: each command must be answered exactly as
// runGit answers it (output, exit codes, errors, git's lock retries), whatever its arguments hold.
import { spawn } from 'node:child_process';
import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, sandbox } from '@blue/testkit';
import { runGit, runGitMany, type GitJob } from '@blue/git';

/** Each job's answer as runGit gives it: the result, or the error's code and message. */
async function answers(promises: Array<Promise<unknown>>): Promise<unknown[]> {
  return Promise.all(promises.map((p) => p.then((value) => ({ value }), (err: { code?: string; message?: string }) => ({ error: { code: err.code, message: err.message } }))));
}

describe('runGitMany', () => {
  it('answers every command as runGit does: output whole, bytes kept, failures with git’s message, folders it cannot enter', async () => {
    const box = await sandbox();
    const temp = join(box.root, 'tmp');
    await mkdir(temp);
    const env = { ...box.env, TMPDIR: temp };
    const dir = await gitRepo(box, { a: 'a\n', 'b c.txt': 'spaced\n' });
    const jobs: GitJob[] = [
      { cwd: dir, args: ['ls-files', '-z'] },
      { cwd: dir, args: ['cat-file', '-p', 'HEAD:a'] },
      { cwd: dir, args: ['rev-parse', '--verify', 'no-such-ref'] },
      { cwd: dir, args: ['diff', '--quiet', 'HEAD'] },
      { cwd: box.root, args: ['status'] },
      { cwd: join(box.root, 'gone'), args: ['status'] },
      { cwd: dir, args: ['log', '-1', '--format=%s%n%n'] },
    ];
    for (const parallel of [1, 3, 16]) {
      const many = await answers(runGitMany(jobs, { env, parallel }));
      const one = await answers(jobs.map((j) => runGit(j.cwd, j.args, { env })));
      expect(many).toEqual(one);
    }
    expect((await answers(runGitMany(jobs, { env, parallel: 2 })))[5]).toMatchObject({ error: { code: 'FILE_NOT_FOUND' } });
    // Its temp files are gone once every command is answered.
    expect(await readdir(temp)).toEqual([]);
    // No temp folder, or an argument no process takes: each command as runGit answers it.
    const odd: GitJob[] = [{ cwd: dir, args: ['a\0b'] }, { cwd: dir, args: ['cat-file', '-p', 'HEAD:a'] }];
    for (const tmp of [temp, join(box.root, 'no-tmp')]) {
      expect(await answers(runGitMany(odd, { env: { ...env, TMPDIR: tmp }, parallel: 2 }))).toEqual(await answers(odd.map((j) => runGit(j.cwd, j.args, { env }))));
      expect(await answers(runGitMany(jobs, { env: { ...env, TMPDIR: tmp }, parallel: 2 }))).toEqual(await answers(jobs.map((j) => runGit(j.cwd, j.args, { env }))));
    }
    expect(await readdir(temp)).toEqual([]);
  });

  it('passes hostile arguments and paths to git as they are, never to the shell', async () => {
    const box = await sandbox();
    // Were any value run as shell code, it would create the canary file.
    const env = { ...box.env, CANARY: join(box.root, 'pwned') };
    const hostile = ['$(touch "$CANARY")', '`touch "$CANARY"`', `'; touch "$CANARY"; '`, '"; touch "$CANARY"; "', 'a\nb', '${HOME}', '$1 $@ "$#"', '*', ' spaced  out ', '\\', '-C$CANARY'];
    const folder = join(box.root, `repo $(touch "$CANARY") 'q' "d" \`x\``);
    await mkdir(folder);
    const dir = await gitRepo(box, { a: 'a' });
    await git(box, folder, ['init', '--quiet']);
    const jobs: GitJob[] = [
      ...hostile.map((value) => ({ cwd: dir, args: ['rev-parse', '--sq-quote', value] })),
      { cwd: folder, args: ['rev-parse', '--show-toplevel'] },
      ...hostile.map((value) => ({ cwd: folder, args: ['check-ref-format', '--branch', `feat/${value}`] })),
    ];
    const many = await answers(runGitMany(jobs, { env, parallel: 4 }));
    const one = await answers(jobs.map((j) => runGit(j.cwd, j.args, { env })));
    expect(many).toEqual(one);
    expect(many[hostile.length]).toEqual({ value: { stdout: `${folder}\n`, stderr: '', exitCode: 0 } });
    await expect(readdir(box.root)).resolves.not.toContain('pwned');
  });

  it('waits while another git process holds one of git’s lock files, as runGit does', async () => {
    const box = await sandbox();
    const repos = await Promise.all([0, 1, 2].map((i) => gitRepo(box, { [`f${i}`]: `${i}` })));
    const lock = join(repos[1] ?? '', '.git', 'index.lock');
    await writeFile(lock, '');
    const runs = runGitMany(repos.map((cwd) => ({ cwd, args: ['branch', 'kept'] })).concat(repos.map((cwd) => ({ cwd, args: ['update-index', '--refresh'] }))), { env: box.env, parallel: 3 });
    await sleep(300);
    await rm(lock);
    const done = await Promise.all(runs);
    expect(done.map((r) => r.exitCode)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const repo of repos) expect(await git(box, repo, ['branch', '--list', 'kept'])).toContain('kept');
  });

  it('stops starting commands once the process that asked is killed, and removes its temp files', async () => {
    const box = await sandbox();
    const temp = join(box.root, 'tmp');
    await mkdir(temp);
    const dir = await gitRepo(box, { a: 'a' });
    // One lane: the first command (a git alias running a shell command) is running when the
    // asking process is SIGKILLed; the second must never start.
    const mark = (n: number, then: string): GitJob => ({ cwd: dir, args: ['-c', `alias.mark=!touch started-${n}${then}`, 'mark'] });
    const jobs = [mark(0, ' && sleep 1'), mark(1, '')];
    const gitPackage = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href;
    const child = spawn(process.execPath, ['--input-type=module', '-e', `const { runGitMany } = await import(${JSON.stringify(gitPackage)}); await Promise.all(runGitMany(${JSON.stringify(jobs)}, { parallel: 1 }));`], {
      env: { ...box.env, TMPDIR: temp },
      stdio: 'ignore',
    });
    const exited = new Promise((resolveExit) => child.on('exit', resolveExit));
    const until = async (what: () => Promise<boolean>): Promise<void> => {
      for (let i = 0; i < 200 && !(await what()); i++) await sleep(25);
    };
    await until(() => access(join(dir, 'started-0')).then(() => true, () => false));
    expect(await readdir(temp)).toHaveLength(1);
    child.kill('SIGKILL');
    await exited;
    await until(async () => (await readdir(temp)).length === 0);
    expect(await readdir(temp)).toEqual([]);
    await sleep(200);
    await expect(access(join(dir, 'started-1'))).rejects.toThrow();
  });
});
