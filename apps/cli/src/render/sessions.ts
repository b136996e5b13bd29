import type { ListSessionsResult } from '@blue/realm';
import { style } from './style.js';

export function renderSessions(r: ListSessionsResult): string[] {
  if (r.sessions.length === 0) return [`No running Blue sessions in realm '${r.realm.name}'.`, style.dim('Start one with blue-mcp (an agent) or blue realm sessions --watch (a terminal).')];
  const lines = [`🟢 ${r.sessions.length} running session(s) in realm '${r.realm.name}':`];
  for (const s of r.sessions) {
    const work = s.active?.branch ?? s.active?.rfc;
    lines.push('', `  ${style.bold(s.domain)}  pid ${s.pid}, since ${s.started_at}${work ? `, on ${work}` : ''}`);
    if (s.exports_modified.length > 0) lines.push(`    editing exports: ${s.exports_modified.join(', ')}`);
    if (s.imports_watching.length > 0) lines.push(`    watching: ${s.imports_watching.map((i) => `${i.contract} from ${i.from}`).join(', ')}`);
  }
  return lines;
}
