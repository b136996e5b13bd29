import type { McpServer } from '@modelcontextprotocol/server';
import { resolve } from 'node:path';
import { createContext, type BlueContext, type Env } from '@blue/realm';
import { z } from 'zod';

export interface ServerOptions {
  /** Folder tools act from when a call gives no `cwd`. */
  cwd: string;
  env: Env;
  version: string;
}

/** What every tool gets: a way to build the use case context for one call. */
export interface ToolDeps {
  context(cwd: string | undefined): BlueContext;
}

export type RegisterTool = (server: McpServer, deps: ToolDeps) => void;

export function toolDeps(options: ServerOptions): ToolDeps {
  return {
    context: (cwd) => createContext({ cwd: resolve(options.cwd, cwd ?? '.'), env: options.env }),
  };
}

/**
 * The optional `cwd` every tool accepts: the repo or realm folder to act in, relative to the
 * server's folder (the default). The server instructions explain it once, for every tool.
 */
export const cwdField = z.string().optional();
