import { shellCommand, shellQuote } from '@blue/core';
import type { UntrustedCommand } from './command-trust.js';

/** The next step for an export whose command detector is untrusted: show the command, say who may allow it and how. */
export function untrustedStep(exportName: string, untrusted: UntrustedCommand, repo: string): string {
  return `Export ${exportName} is untrusted: this repo declares the command ${shellCommand(untrusted.command)} and Blue ran nothing. If you (a person, not an agent) trust it, run in a terminal: cd ${shellQuote(repo)} && ${untrusted.allow}`;
}
