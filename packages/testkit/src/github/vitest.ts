import { onTestFinished } from 'vitest';
import { githubStandIn, type GitHubStandIn, type GitHubStandInOptions } from './server.js';

/**
 * Starts a stand-in for the current test and closes it when the test finishes. After the test it
 * also fails if the stand-in ever sent a response that violates GitHub's description.
 */
export async function useGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const standIn = await githubStandIn(options);
  onTestFinished(async () => {
    await standIn.close();
    if (standIn.violations.length > 0) throw new Error(`The GitHub stand-in violated GitHub's REST description:\n${standIn.violations.join('\n')}`);
  });
  return standIn;
}
