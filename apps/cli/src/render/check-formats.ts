import { CHECK_RULES, type CheckFinding, type CheckRealmResult } from '@blue/realm';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** JUnit XML for CI test reporters: one test case per rule, a failure per error finding. */
export function renderJunit(result: CheckRealmResult): string {
  const cases = CHECK_RULES.map((rule) => {
    const found = result.findings.filter((f) => f.rule === rule);
    const errors = found.filter((f) => f.severity === 'error');
    const body = errors.length > 0 ? `\n      <failure message="${xml(`${errors.length} problem(s)`)}" type="${rule}">${xml(errors.map(describe).join('\n'))}</failure>\n    ` : found.length > 0 ? `\n      <system-out>${xml(found.map(describe).join('\n'))}</system-out>\n    ` : '';
    return { rule, failed: errors.length > 0, xml: `    <testcase classname="blue.realm.check" name="${rule}">${body}</testcase>` };
  });
  const failures = cases.filter((c) => c.failed).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="blue realm check" tests="${cases.length}" failures="${failures}">\n  <testsuite name="${xml(result.realm.name || 'realm')}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

function describe(f: CheckFinding): string {
  return `${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message}`;
}

/** Where a finding shows in code scanning: a file of the repository the SARIF is uploaded for, and a line. */
export interface SarifLocation {
  uri: string;
  line?: number | undefined;
}

/** In the realm repo: the finding's own file, else its domain's domain.yaml, else realm.yaml. */
export function realmLocation(f: CheckFinding): SarifLocation {
  return { uri: f.file ?? (f.domain ? `domains/${f.domain}/domain.yaml` : 'realm.yaml'), line: f.line };
}

/** SARIF 2.1.0 for code scanning: one result per finding, located by `locate` (default: in the realm repo). */
export function renderSarif(result: CheckRealmResult, version: string, locate: (f: CheckFinding) => SarifLocation = realmLocation): string {
  const ruleIds = [...new Set(result.findings.map((f) => f.rule))];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'blue realm check', version, rules: ruleIds.map((id) => ({ id, shortDescription: { text: id.replace(/-/g, ' ') } })) } },
        results: result.findings.map((f) => {
          const at = locate(f);
          return {
            ruleId: f.rule,
            level: f.severity === 'error' ? 'error' : 'warning',
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: at.uri }, ...(at.line ? { region: { startLine: at.line } } : {}) } }],
          };
        }),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
