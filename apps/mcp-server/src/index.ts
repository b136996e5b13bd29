export { buildServer, SERVER_INSTRUCTIONS } from './server.js';
export { main } from './main.js';
export { TOOLS } from './tools/index.js';
export { runTool, toolFailure, toolSuccess } from './tool-result.js';
export { toolDeps, type RegisterTool, type ServerOptions, type ToolDeps } from './tool-deps.js';
