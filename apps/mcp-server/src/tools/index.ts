import type { RegisterTool } from '../tool-deps.js';
import { registerRealmApproveTool } from './realm-approve.js';
import { registerRealmCheckTool } from './realm-check.js';
import { registerRealmCommitTool } from './realm-commit.js';
import { registerRealmExportTool } from './realm-export.js';
import { registerRealmGateTool } from './realm-gate.js';
import { registerRealmGraphTool } from './realm-graph.js';
import { registerRealmImportTool } from './realm-import.js';
import { registerRealmInitTool } from './realm-init.js';
import { registerRealmJoinTool } from './realm-join.js';
import { registerRealmLeaveTool } from './realm-leave.js';
import { registerRealmPrTool } from './realm-pr.js';
import { registerRealmPushTool } from './realm-push.js';
import { registerRealmSessionsTool } from './realm-sessions.js';
import { registerRealmSyncTool } from './realm-sync.js';
import { registerRealmWorktreeTool } from './realm-worktree.js';
import { registerStatusTool } from './status.js';

/** Every tool of blue-mcp, registered in this order. */
export const TOOLS: readonly RegisterTool[] = [
  registerStatusTool,
  registerRealmInitTool,
  registerRealmJoinTool,
  registerRealmLeaveTool,
  registerRealmExportTool,
  registerRealmImportTool,
  registerRealmSyncTool,
  registerRealmApproveTool,
  registerRealmCheckTool,
  registerRealmGraphTool,
  registerRealmSessionsTool,
  registerRealmWorktreeTool,
  registerRealmCommitTool,
  registerRealmPushTool,
  registerRealmPrTool,
  registerRealmGateTool,
];
