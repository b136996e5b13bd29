import { useGitHubStandIn, type GitHubStandIn, type GitHubStandInOptions } from '@blue/testkit';
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
