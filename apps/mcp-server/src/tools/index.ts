import type { RegisterTool } from '../tool-deps.js';
import { registerRealmInitTool } from './realm-init.js';

/** Every tool of blue-mcp, registered in this order. */
export const TOOLS: readonly RegisterTool[] = [registerRealmInitTool];
