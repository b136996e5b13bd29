import type { CallToolResult } from '@modelcontextprotocol/server';
import { asBlueError } from '@blue/core';

/** Says a text as written (the CLI's notation); the MCP face passes deps.speak. */
type Speak = (text: string) => string;
const asWritten: Speak = (text) => text;

/**
 * A successful tool result: the use case's object as structuredContent, and the same JSON as
 * text; its next_steps said in this face's language (tool calls instead of commands).
 */
export function toolSuccess(value: object, speak: Speak = asWritten): CallToolResult {
  const steps: unknown = (value as { next_steps?: unknown }).next_steps;
  const result: Record<string, unknown> = Array.isArray(steps) ? { ...value, next_steps: steps.map((step: unknown) => (typeof step === 'string' ? speak(step) : step)) } : { ...value };
  return {
    content: [{ type: 'text', text: JSON.stringify(result, null, 2) }],
    structuredContent: result,
  };
}

/**
 * A failed tool result: `isError` with `CODE: message` and `Hint: …`, and no structuredContent
 * (the client would validate it against the output schema). Bugs are also logged to stderr.
 */
export function toolFailure(err: unknown, speak: Speak = asWritten): CallToolResult {
  const blue = asBlueError(err);
  if (blue.code === 'INTERNAL' && blue.cause instanceof Error) process.stderr.write(`blue-mcp: ${blue.cause.stack ?? blue.message}\n`);
  const lines = [`${blue.code}: ${speak(blue.message)}`];
  if (blue.hint) lines.push(`Hint: ${speak(blue.hint)}`);
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
}

/** Runs a use case and turns its result or error into a tool result. */
export async function runTool(useCase: () => Promise<object>, speak: Speak = asWritten): Promise<CallToolResult> {
  try {
    return toolSuccess(await useCase(), speak);
  } catch (err) {
    return toolFailure(err, speak);
  }
}
