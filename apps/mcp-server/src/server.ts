import { McpServer, type ProtocolEra } from '@modelcontextprotocol/server';
import { registerLiveResources, type LiveHub } from './live.js';
import { toolDeps, type ServerOptions } from './tool-deps.js';
import { TOOLS } from './tools/index.js';

export const SERVER_INSTRUCTIONS =
  'Blue coordinates changes across git repositories that depend on each other. A realm is a git repo federating code repos ' +
  '(domains); domains publish versioned exports and import each other\'s. Tools act on the repo in `cwd` (default: the server\'s folder). ' +
  'Start with blue_status; every result has `next_steps`, the tool calls or actions to take next. ' +
  'Errors come back as "CODE: message" with a "Hint:" line saying what to do next. ' +
  'Any result may carry `notices`: live notices for this repo not returned before, each once (kind: export-changed, breaking-held, grace-started, grace-ending, breaking-approved, join-admitted, consumer-resolved; from, export, new_version, changes, until, text).';

/**
 * A fresh server with every tool registered, for one protocol era (serveStdio builds one per
 * connection, and says which era). Nothing happens until it is connected to a transport.
 */
export function buildServer(options: ServerOptions, era: ProtocolEra = 'legacy', hub?: LiveHub): McpServer {
  const server = new McpServer(
    { name: 'blue-mcp', title: 'Blue realms', version: options.version },
    { capabilities: era === 'legacy' ? { logging: {} } : {}, instructions: SERVER_INSTRUCTIONS },
  );
  const deps = toolDeps(options, hub?.notices);
  for (const register of TOOLS) register(server, deps);
  registerLiveResources(server, deps, era, hub);
  return server;
}
