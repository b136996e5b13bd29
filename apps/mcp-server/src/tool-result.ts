import type { CallToolResult } from '@modelcontextprotocol/server';
import { asBlueError } from '@blue/core';

/** A successful tool result: the use case's object as structuredContent, and the same JSON as text. */
export function toolSuccess(result: object): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(result, null, 2) }],
    structuredContent: result as Record<string, unknown>,
  };
}

/**
 * A failed tool result: `isError` with `CODE: message` and `Hint: …`, and no structuredContent
 * (the client would validate it against the output schema). Bugs are also logged to stderr.
 */
export function toolFailure(err: unknown): CallToolResult {
  const blue = asBlueError(err);
  if (blue.code === 'INTERNAL' && blue.cause instanceof Error) process.stderr.write(`blue-mcp: ${blue.cause.stack ?? blue.message}\n`);
  const lines = [`${blue.code}: ${blue.message}`];
  if (blue.hint) lines.push(`Hint: ${blue.hint}`);
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
}

/** Runs a use case and turns its result or error into a tool result. */
export async function runTool(useCase: () => Promise<object>): Promise<CallToolResult> {
  try {
    return toolSuccess(await useCase());
  } catch (err) {
    return toolFailure(err);
  }
}
