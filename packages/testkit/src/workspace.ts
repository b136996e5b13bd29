import { fileURLToPath } from 'node:url';

/** The root of this monorepo (testkit lives at packages/testkit/dist). */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The built CLI entry (`blue`). */
export const BLUE_BIN = fileURLToPath(new URL('../../../apps/cli/bin/run.js', import.meta.url));

/** The built MCP server entry (`blue-mcp`). */
export const BLUE_MCP_BIN = fileURLToPath(new URL('../../../apps/mcp-server/bin/blue-mcp.js', import.meta.url));
