import type { CheckFinding, CheckRealmResult, RealmGraphResult, SyncRealmResult } from '@blue/realm';

// What a pull request does to the realm, for one domain, in words: pure functions from the use
// cases' results to the job summary, the pull request comment and the Action's outputs.

export type FailOn = 'broken' | 'stale' | 'never';

export interface PullRequestReport {
  domain: string;
  /** `merging this publishes …` sentences, one per export this domain would publish. */
  publishes: string[];
  bump: 'major' | 'minor' | 'patch' | 'none';
  breaking: boolean;
  /** Domains that import an export this change publishes. */
  consumers: string[];
  /** This domain's findings (errors and warnings). */
  own: CheckFinding[];
  /** Other domains' and realm-wide warnings: shown, never failing. */
  others: CheckFinding[];
  failed: boolean;
}

const BUMPS = ['none', 'patch', 'minor', 'major'] as const;

export function planReport(input: { domain: string; check: CheckRealmResult; preview?: SyncRealmResult | undefined; graph?: RealmGraphResult | undefined; failOn: FailOn }): PullRequestReport {
  const changed = (input.preview?.exports ?? []).filter((e) => e.status !== 'unchanged');
  const publishes = changed.map((e) => publishSentence(e, input.graph, input.domain));
  const bump = changed.reduce<PullRequestReport['bump']>((top, e) => (BUMPS.indexOf(e.bump ?? 'none') > BUMPS.indexOf(top) ? (e.bump ?? 'none') : top), 'none');
  // A provider's unpublished export change is what this pull request is for: the preview above
  // says what merging publishes, so export drift is neither listed nor failing (even with `stale`).
  const drift = (f: CheckFinding): boolean => input.preview !== undefined && f.rule === 'export-drift';
  const own = input.check.findings.filter((f) => f.other_domain !== true && (f.domain === undefined || f.domain === input.domain) && !drift(f));
  const others = input.check.findings.filter((f) => !own.includes(f) && !drift(f));
  const errors = own.filter((f) => f.severity === 'error').length;
  const failed = input.failOn === 'never' ? false : input.failOn === 'stale' ? own.length > 0 : errors > 0;
  return { domain: input.domain, publishes, bump, breaking: changed.some((e) => e.breaking), consumers: [...new Set(changed.flatMap((e) => e.consumers))].sort(), own, others, failed };
}

function publishSentence(e: SyncRealmResult['exports'][number], graph: RealmGraphResult | undefined, domain: string): string {
  const readers = e.consumers.map((c) => {
    const range = graph?.edges.find((edge) => edge.from === domain && edge.to === c && edge.contract === e.name)?.range;
    return `\`${c}\`${range === undefined ? '' : ` (${range})`}`;
  });
  const version = `${e.from_version === undefined ? '' : `${e.from_version} → `}${e.to_version ?? '?'}`;
  const head = `merging this publishes \`${e.name}\` ${version} (${e.breaking ? 'breaking' : (e.bump ?? e.status)})`;
  const read = readers.length > 0 ? `, read by ${readers.join(', ')}` : ', read by no domain yet';
  if (!e.breaking) return `${head}${read}, no approval needed`;
  const approvers = e.approval?.approvers ?? [];
  const who = approvers.length > 0 ? approvers.map((a) => `\`${a}\``).join(', ') : 'none listed';
  const seen = readers.length > 0 ? `; consumers ${readers.join(', ')} will see it in their grace period` : '';
  return `${head}: needs an approver from \`governance.approvers\` (${who})${seen}`;
}

function findingLine(f: CheckFinding): string {
  const where = f.file === undefined ? '' : ` (\`${f.file}${f.line === undefined ? '' : `:${f.line}`}\`)`;
  return `- **${f.severity}** \`${f.rule}\`${where}: ${f.message.replace(/\n/g, ' ')}`;
}

/** The Markdown of the job summary and the pull request comment. */
export function renderReport(report: PullRequestReport, realm: string): string {
  const verdict = report.failed ? '❌ this pull request breaks the realm for' : '✅ this pull request keeps the realm whole for';
  const lines = [`### Blue: ${verdict} \`${report.domain}\``, '', `Realm \`${realm}\`.`, ''];
  lines.push(...(report.publishes.length > 0 ? report.publishes.map((p) => `- ${p[0]?.toUpperCase() ?? ''}${p.slice(1)}.`) : ['- Merging this publishes no export change.']));
  lines.push('');
  if (report.own.length > 0) lines.push(`#### Findings for \`${report.domain}\``, '', ...report.own.map(findingLine), '');
  if (report.others.length > 0) lines.push('#### Elsewhere in the realm (warnings; they do not fail this check)', '', ...report.others.map(findingLine), '');
  return lines.join('\n');
}
