// Where the built workspace lives, and loading its built packages from a plain .mjs script.
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI (`blue`) and MCP server (`blue-mcp`). */
export const BLUE_BIN = fileURLToPath(new URL('../../apps/cli/bin/run.js', import.meta.url));
export const BLUE_MCP_BIN = fileURLToPath(new URL('../../apps/mcp-server/bin/blue-mcp.js', import.meta.url));

const BUILD_HINT = 'Build first: npx --yes pnpm@10.34.8 run build (or run the whole thing with npx --yes pnpm@10.34.8 run bench)';

/** Fails early, with the command to run, when the packages the benchmarks drive are not built. */
export function assertBuilt() {
  const needed = ['packages/testkit/dist/index.js', 'packages/ipc/dist/index.js', 'packages/realm/dist/index.js', 'apps/cli/dist', 'apps/mcp-server/dist/main.js'];
  const missing = needed.filter((path) => !existsSync(fileURLToPath(new URL(`../../${path}`, import.meta.url))));
  if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')}. ${BUILD_HINT}`);
}

/** Imports a built workspace package (packages/<name>/dist/index.js). */
export async function loadPackage(name) {
  const url = new URL(`../../packages/${name}/dist/index.js`, import.meta.url).href;
  try {
    return await import(url);
  } catch (error) {
    throw new Error(`cannot load packages/${name}/dist (${error.message}). ${BUILD_HINT}`, { cause: error });
  }
}
