import type { BlueError } from '@blue/core';
import { styleFor } from './style.js';

const style = styleFor(process.stderr);

/** The human rendering of an error for stderr: message, hint, and a stack for bugs. */
export function renderError(err: BlueError): string {
  const lines = [`${style.error('Error:')} ${err.message}`];
  if (err.hint) lines.push(`${style.bold('Hint:')} ${err.hint}`);
  if (err.code === 'INTERNAL') {
    const cause = err.cause instanceof Error ? err.cause.stack : undefined;
    if (cause) lines.push('', style.dim(cause));
  }
  return lines.join('\n');
}
