import type { McpServer } from '@modelcontextprotocol/server';
import { resolve } from 'node:path';
import { speakMcp, toolNameOf } from '@blue/core';
import { createContext, type BlueContext, type Env, type KeptRealmViews } from '@blue/realm';
import { z } from 'zod';
import { NoticeLedger } from './notice-ledger.js';

export interface ServerOptions {
  /** Folder tools act from when a call gives no `cwd`. */
  cwd: string;
  env: Env;
  version: string;
  /** The process's kept realm snapshots (see KeptRealmViews); without it every call reads the realm. */
  kept?: KeptRealmViews;
}

/** What every tool gets: a way to build the use case context for one call. */
export interface ToolDeps {
  context(cwd: string | undefined): BlueContext;
  /** The names of the tools registered so far on this server. */
  tools: Set<string>;
  /** A message, hint or next step as this face says it: tool calls and argument names (see speakMcp). */
  speak(text: string): string;
  /** The live session's notices this server has not returned yet (empty without a live session). */
  notices: NoticeLedger;
}

export type RegisterTool = (server: McpServer, deps: ToolDeps) => void;

export function toolDeps(options: ServerOptions, notices: NoticeLedger = new NoticeLedger()): ToolDeps {
  const tools = new Set<string>();
  return {
    context: (cwd) => createContext({ cwd: resolve(options.cwd, cwd ?? '.'), env: options.env, ...(options.kept === undefined ? {} : { kept: options.kept }) }),
    tools,
    speak: (text) => speakMcp(text, (command) => tools.has(toolNameOf(command))),
    notices,
  };
}

/**
 * The optional `cwd` every tool accepts: the repo or realm folder to act in, relative to the
 * server's folder (the default). The server instructions explain it once, for every tool.
 */
export const cwdField = z.string().optional();
