import { bareRemote, clone, git, gitRepo, type Sandbox } from '@blue/testkit';

/** A bare remote with one commit on main, and a clone of it (origin/HEAD known). */
export async function project(box: Sandbox): Promise<{ remote: string; repo: string; main: string }> {
  const remote = await bareRemote(box);
  const seed = await gitRepo(box, { 'README.md': 'hello\n' }, { origin: remote });
  await git(box, seed, ['push', '--quiet', 'origin', 'main']);
  const repo = await clone(box, remote);
  return { remote, repo, main: await git(box, repo, ['rev-parse', 'main']) };
}
