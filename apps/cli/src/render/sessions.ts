import type { ListSessionsResult } from '@blue/realm';
import { style } from './style.js';

export function renderSessions(r: ListSessionsResult): string[] {
  if (r.sessions.length === 0) return [`No running Blue sessions in realm '${r.realm.name}'.`, style.dim('Start one with blue-mcp (an agent) or blue realm sessions --watch (a terminal).'), ...watchLines(r)];
  const lines = [`🟢 ${r.sessions.length} running session(s) in realm '${r.realm.name}':`];
  for (const s of r.sessions) {
    const work = s.active?.branch ?? s.active?.rfc;
    lines.push('', `  ${style.bold(s.domain)}  pid ${s.pid}, since ${s.started_at}${work ? `, on ${work}` : ''}`);
    if (s.exports_modified.length > 0) lines.push(`    editing exports: ${s.exports_modified.join(', ')}`);
    if (s.imports_watching.length > 0) lines.push(`    watching: ${s.imports_watching.map((i) => `${i.contract} from ${i.from}`).join(', ')}`);
  }
  return [...lines, ...watchLines(r)];
}

/** Who watches the realm remote for this machine, and when it last reached it. */
function watchLines(r: ListSessionsResult): string[] {
  const w = r.watch;
  if (w === undefined) return [];
  const reached = w.reached_at === undefined ? 'not reached yet' : `last reached ${w.reached_at}`;
  const lines = ['', `📡 Realm remote watched by pid ${w.leader_pid} every ${w.interval_s} s: ${reached}.`];
  if (w.error !== undefined) lines.push(style.warn(`   Last look failed at ${w.checked_at}: ${w.error.message}`));
  if (w.rewritten_at !== undefined) lines.push(style.warn(`   The realm's history was rewritten (force-pushed), seen at ${w.rewritten_at}.`));
  return lines;
}
