export { gitOutput, runGit, type GitEnv, type GitOptions, type GitResult, type GitRunOptions } from './run.js';
export { configValue, currentBranch, findRepoRoot, headSha, initRepo, remoteUrl, repoRoot, userEmail } from './repo.js';
export { assertClean, isClean, statusEntries, type StatusEntry } from './status.js';
export { commit, type CommitOptions } from './commit.js';
export { aheadOfUpstream, behindUpstream, pullRebase, pushWithRetry, upstreamOf, type PushOptions, type PushResult, type RemoteInfo } from './sync.js';
export { deleteBranch, fetchBranches, fileAt, pushBranch } from './branches.js';
