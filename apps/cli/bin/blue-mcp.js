#!/usr/bin/env node
// blue-mcp, installed with the blue CLI: the MCP server of @blue/mcp-server (a dependency). It starts
// from the bundle the build makes (dist/fast/bundle/mcp.js: one file instead of ~500 modules); in a
// checkout whose bundle is not current (say, after `tsc -b` alone), from the package itself.
import { fileURLToPath } from 'node:url';
import { bundleIsCurrent } from '../dist/fast/bundle-current.js';

const bundle = new URL('../dist/fast/bundle/mcp.js', import.meta.url);
const current = bundleIsCurrent(fileURLToPath(new URL('..', import.meta.url)), fileURLToPath(new URL('.', bundle)));
const { main } = current ? await import(bundle.href) : await import('@blue/mcp-server');

await main(process.argv.slice(2));
