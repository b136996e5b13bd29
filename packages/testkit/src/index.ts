export { sandbox, sandboxAt, tempDir, SCRUBBED_ENV, type Sandbox } from './temp.js';
export { bareRemote, clone, git, gitRepo, writeTree, type GitRepoOptions } from './git.js';
export { runBlue, type BlueRun, type RunBlueOptions } from './run-blue.js';
export { runNodeScript, type ScriptRun } from './run-script.js';
export { MCP_PROTOCOLS, mcpClient, spawnMcp, type McpProtocol, type McpSession } from './mcp.js';
export { rawSocketClient, type RawSocketClient } from './socket.js';
export { fixtureRepo, FIXTURES_DIR, grantInFixtureStack, type FixtureRepo } from './fixtures.js';
export { letemcookScenario, type Scenario } from './scenario.js';
export { verifies } from './verifies.js';
export { LONG_TESTS } from './long.js';
export { BLUE_BIN, BLUE_MCP_BIN, WORKSPACE_ROOT } from './workspace.js';
export {
  buildOpenApiSubset,
  githubStandIn,
  OpenApiValidator,
  publishedDescriptionInfo,
  readOpenApiSubset,
  readPublishedDescription,
  renderOpenApiSubset,
  STAND_IN_OPERATIONS,
  STAND_IN_OVERRIDES,
  SUBSET_FILE,
  useGitHubStandIn,
  type AddRepoOptions,
  type Fault,
  type GitHubStandIn,
  type GitHubStandInOptions,
  type RequestLogEntry,
  type StandInComment,
  type StandInIssue,
  type StandInOverride,
  type StandInPull,
  type StandInRepo,
  type StandInState,
} from './github/index.js';
export { manyMachines, type Machine, type Machines, type MachinesOptions } from './machines.js';
