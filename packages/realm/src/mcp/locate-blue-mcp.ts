import { readFile, stat } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { BlueError, hasErrno, type McpLauncher } from '@blue/core';
import type { Env } from '../context.js';

/** Where the running `blue` is, as the face knows it. */
export interface BlueInstallation {
  /** The path `blue` was started as (process.argv[1]): a bin link such as /usr/local/bin/blue, or bin/run.js. */
  invokedAs: string;
  /** The @blue/cli package folder. */
  cliRoot: string;
  /** The Node.js running blue (process.execPath). */
  execPath: string;
}

/** A launcher, and whether it is a `blue-mcp` found in a folder on PATH (so the bare name works). */
export interface LocatedBlueMcp {
  launcher: McpLauncher;
  onPath: boolean;
}

/**
 * How to start the blue-mcp of this installation, tried in order:
 * 1. a `blue-mcp` beside the `blue` that runs (a global npm install links both into one bin
 *    folder): its absolute path, no Node in between (not on Windows, whose links are .cmd shims);
 * 2. an `@blue/mcp-server` package in node_modules of the CLI package or above: `node <its bin>`;
 * 3. a checkout of this repo (apps/cli next to apps/mcp-server): `node <apps/mcp-server/bin/blue-mcp.js>`.
 * Node is this process's absolute execPath, so GUI clients without the shell's PATH still start it.
 */
export async function locateBlueMcp(install: BlueInstallation, env: Env, platform: NodeJS.Platform): Promise<LocatedBlueMcp> {
  if (platform !== 'win32' && isAbsolute(install.invokedAs)) {
    const binDir = dirname(install.invokedAs);
    const sibling = join(binDir, 'blue-mcp');
    if (await isFile(sibling)) {
      const onPath = (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && resolve(dir) === binDir);
      return { launcher: { command: sibling, args: [] }, onPath };
    }
  }
  const script = (await packagedBin(install.cliRoot)) ?? (await checkoutBin(install.cliRoot));
  if (script !== undefined) return { launcher: { command: install.execPath, args: [script] }, onPath: false };
  throw new BlueError('MCP_SERVER_NOT_FOUND', `blue-mcp is not installed next to this blue (${install.invokedAs}).`, {
    hint: 'Install @blue/mcp-server beside @blue/cli (it provides the blue-mcp command), then run `blue mcp install` again; `--print` shows the entry to adapt by hand.',
  });
}

/**
 * The blue-mcp script of an @blue/mcp-server package in a node_modules folder of the CLI package
 * or above it (its own dependency, or installed beside it), as Node would find it but without
 * NODE_PATH and global folders, so only this installation counts.
 */
async function packagedBin(cliRoot: string): Promise<string | undefined> {
  for (let dir = resolve(cliRoot); ; dir = dirname(dir)) {
    const pkg = join(dir, 'node_modules', '@blue', 'mcp-server');
    const manifest = await readJson(join(pkg, 'package.json'));
    const script = manifest?.bin?.['blue-mcp'];
    if (script !== undefined && (await isFile(join(pkg, script)))) return join(pkg, script);
    if (dirname(dir) === dir) return undefined;
  }
}

async function readJson(path: string): Promise<{ bin?: Record<string, string> } | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { bin?: Record<string, string> };
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) return undefined;
    throw err;
  }
}

async function checkoutBin(cliRoot: string): Promise<string | undefined> {
  const script = resolve(cliRoot, '..', 'mcp-server', 'bin', 'blue-mcp.js');
  return (await isFile(script)) ? script : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (err) {
    if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) return false;
    throw err;
  }
}
