import { bareRemote, git, gitRepo, sandbox, useGitHubStandIn, type GitHubStandIn, type GitHubStandInOptions, type Sandbox } from '@blue/testkit';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '@blue/github';

/** A stand-in with one repo (acme/widgets) and a client pointed at it through the environment only. */
export async function standInWithClient(
  options: { standIn?: GitHubStandInOptions; client?: Omit<GitHubClientOptions, 'env'>; remote?: string } = {},
): Promise<{ standIn: GitHubStandIn; client: GitHubClient; delays: number[] }> {
  const standIn = await useGitHubStandIn(options.standIn);
  standIn.addRepo({ owner: 'acme', name: 'widgets', ...(options.remote ? { remote: options.remote } : {}) });
  const delays: number[] = [];
  const client = await createGitHubClient({
    // Built from nothing but the stand-in's variables: no ambient token can leak in.
    env: { ...standIn.env },
    ghCommand: false,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    ...options.client,
  });
  return { standIn, client, delays };
}

export const repo = { owner: 'acme', name: 'widgets' } as const;

/** A bare remote holding main and feat/rfc-7 (one commit ahead), as pushed by a domain repo; with the pushing clone. */
export async function remoteWithBranch(): Promise<{ remote: string; work: string; box: Sandbox }> {
  const box = await sandbox();
  const remote = await bareRemote(box);
  const work = await gitRepo(box, { 'README.md': '# widgets\n' }, { origin: remote });
  await git(box, work, ['push', '--quiet', 'origin', 'main']);
  await git(box, work, ['switch', '--quiet', '-c', 'feat/rfc-7']);
  await git(box, work, ['commit', '--quiet', '--allow-empty', '-m', 'change']);
  await git(box, work, ['push', '--quiet', 'origin', 'feat/rfc-7']);
  return { remote, work, box };
}
