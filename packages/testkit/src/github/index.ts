export {
  githubStandIn,
  type AddRepoOptions,
  type Fault,
  type GitHubStandIn,
  type GitHubStandInOptions,
  type RequestLogEntry,
} from './server.js';
export { type StandInComment, type StandInIssue, type StandInPull, type StandInRepo, type StandInState, type StandInStatus } from './state-view.js';
export { STAND_IN_OVERRIDES, type StandInOverride } from './overrides.js';
export {
  buildOpenApiSubset,
  publishedDescriptionInfo,
  readOpenApiSubset,
  readPublishedDescription,
  renderOpenApiSubset,
  STAND_IN_OPERATIONS,
  SUBSET_FILE,
  type Json,
  type JsonObject,
  type StandInOperation,
} from './subset.js';
export { OpenApiValidator, type RequestProblem, type RouteMatch } from './validator.js';
export { useGitHubStandIn } from './vitest.js';
