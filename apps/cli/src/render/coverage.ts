import type { ImportStatusEntry } from '@blue/realm';
import { style } from './style.js';

type Coverage = Pick<ImportStatusEntry, 'missing' | 'coverage' | 'values' | 'unused' | 'notes'>;

/** What the binding lacks, each value with why (from the policy when it was read). */
export function missingLines(i: Coverage): string[] {
  if (i.missing.length === 0) return [];
  const uncovered = (i.values ?? []).filter((v) => !v.covered);
  const lines = uncovered.length > 0 ? uncovered.map((v) => `   + ${v.value}${v.access ? ` (${v.access})` : ''}${v.reason ? style.dim(`: ${v.reason}`) : ''}`) : i.missing.map((m) => `   + ${m}`);
  return ['', '   Missing from the binding:', ...lines];
}

/**
 * Why values count as granted when a wider grant covers them (`training-metrics/experiments/*`
 * by `.../training-metrics/*`), grants no value needs, and what Blue could not read.
 */
export function coverageDetails(i: Coverage): string[] {
  const lines: string[] = [];
  const wider = (i.values ?? []).filter((x) => x.covered && x.covered_by !== undefined && !x.covered_by.endsWith(`/${x.value}`));
  if (wider.length > 0) lines.push('', '   Granted by wider grants:');
  for (const v of wider) lines.push(`   ✓ ${v.value}${v.access ? ` (${v.access})` : ''} ${style.dim(`by ${v.covered_by ?? ''}${v.statement ? ` (${v.statement})` : ''}`)}`);
  for (const u of i.unused ?? []) lines.push(`   ${style.dim(`− unused grant (may be removed): ${u.grant} (${u.statement})`)}`);
  if (i.coverage === 'textual' && (i.notes ?? []).length > 0) lines.push(`   ${style.warn('coverage: textual')}`);
  for (const note of i.notes ?? []) lines.push(`   ${style.dim(`note: ${note}`)}`);
  return lines;
}
