#!/usr/bin/env node
// blue-mcp, installed with the blue CLI: the MCP server of @blue/mcp-server (a dependency).
import { main } from '@blue/mcp-server';

await main(process.argv.slice(2));
