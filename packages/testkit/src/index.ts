export { sandbox, tempDir, SCRUBBED_ENV, type Sandbox } from './temp.js';
export { bareRemote, clone, git, gitRepo, writeTree, type GitRepoOptions } from './git.js';
export { runBlue, type BlueRun, type RunBlueOptions } from './run-blue.js';
export { spawnMcp, type McpSession } from './mcp.js';
export { verifies } from './verifies.js';
export { BLUE_BIN, BLUE_MCP_BIN, WORKSPACE_ROOT } from './workspace.js';
