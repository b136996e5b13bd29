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

/** SARIF 2.1.0 for code scanning: one result per finding, located in the realm repo. */
export function renderSarif(result: CheckRealmResult, version: string): string {
  const ruleIds = [...new Set(result.findings.map((f) => f.rule))];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'blue realm check', version, rules: ruleIds.map((id) => ({ id, shortDescription: { text: id.replace(/-/g, ' ') } })) } },
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.file ?? (f.domain ? `domains/${f.domain}/domain.yaml` : 'realm.yaml') }, ...(f.line ? { region: { startLine: f.line } } : {}) } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
