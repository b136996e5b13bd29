import { shellCommand } from '@blue/core';
import type { TrustChangeResult, TrustListResult } from '@blue/realm';
import { nextSteps, okLine } from './style.js';

export function renderTrustList(r: TrustListResult): string[] {
  if (r.trusted.length === 0) return [`No trusted commands (${r.file}).`];
  const lines = [`Trusted commands (${r.file}):`];
  for (const t of r.trusted) lines.push(`  ${t.repo}${t.export === undefined ? '' : ` · export ${t.export}`} · since ${t.trusted_at}`, `    ${shellCommand(t.command)}`, `    sha256 ${t.sha256}`);
  return [...lines, ...nextSteps(r.next_steps)];
}

export function renderTrustChange(r: TrustChangeResult, verb: 'allow' | 'revoke'): string[] {
  if (r.changed.length === 0) return [`Nothing to ${verb}: no trusted command matched.`];
  const lines = r.changed.map((t) => okLine(`${verb === 'allow' ? 'Trusted' : 'No longer trusted'}${t.export === undefined ? '' : ` (export ${t.export})`}: ${shellCommand(t.command)}`));
  return [...lines, ...nextSteps(r.next_steps)];
}
