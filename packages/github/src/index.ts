export { createGitHubClient, type GitHubClientOptions } from './client.js';
export { API_URL_VARIABLES, PUBLIC_API_URL, apiHost, isEnterpriseHost, resolveApiUrl } from './api-url.js';
export { discoverToken, tokenVariables, type DiscoveredToken, type TokenDiscoveryOptions, type TokenSource } from './token.js';
export { parseRepoSlug, parseRepoUrl, repoFromDomain, type RepoRef } from './repo-ref.js';
export { blueMarker, hasMarker, markerKey, withMarker } from './marker.js';
export { toBlueError, type ErrorContext } from './errors.js';
export { retryDelay, type RetryPolicy } from './retry.js';
export type { CommentInfo, CommitStatus, CommitStatusState, EnsureIssueInput, EnsurePullRequestInput, Ensured, GitHubClient, IssueInfo, PullRequestInfo } from './types.js';
