import { DOMAINS_DIR } from '../layout.js';

export interface CodeownersLine {
  pattern: string;
  owners: string[];
  line: number;
}

/** The rules of a CODEOWNERS file (comments and blank lines skipped). */
export function parseCodeowners(text: string): CodeownersLine[] {
  const rules: CodeownersLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern !== undefined) rules.push({ pattern, owners, line: i + 1 });
  });
  return rules;
}

export interface CodeownersProblem {
  domain?: string;
  line?: number;
  message: string;
}

/**
 * Checks that CODEOWNERS gives each domain folder to exactly its maintainers and names no
 * domain that is not in the realm.
 */
export function checkCodeowners(text: string, domains: ReadonlyArray<{ name: string; maintainers: string[] }>): CodeownersProblem[] {
  const problems: CodeownersProblem[] = [];
  const rules = parseCodeowners(text);
  // Indexed by pattern, the last line winning as on GitHub: one pass, not a search per domain (quadratic at 10,000 domains).
  const byPattern = new Map(rules.map((r) => [r.pattern, r]));
  for (const domain of domains) {
    const rule = byPattern.get(`/${DOMAINS_DIR}/${domain.name}/`);
    if (rule === undefined) {
      if (domain.maintainers.length > 0) problems.push({ domain: domain.name, message: `no CODEOWNERS line for /${DOMAINS_DIR}/${domain.name}/` });
      continue;
    }
    const want = [...domain.maintainers].sort().join(' ');
    const have = [...rule.owners].sort().join(' ');
    if (want !== have) problems.push({ domain: domain.name, line: rule.line, message: `CODEOWNERS gives /${DOMAINS_DIR}/${domain.name}/ to "${have}", its maintainers are "${want}"` });
  }
  const known = new Set(domains.map((d) => d.name));
  const folder = new RegExp(`^/${DOMAINS_DIR}/([^/]+)/$`);
  for (const rule of rules) {
    const match = folder.exec(rule.pattern);
    if (match?.[1] !== undefined && !known.has(match[1])) {
      problems.push({ line: rule.line, message: `CODEOWNERS names /${DOMAINS_DIR}/${match[1]}/, which is not a domain of the realm` });
    }
  }
  return problems;
}

/** A CODEOWNERS rule as text, owners in order: what two files are compared by. */
function ruleText(rule: CodeownersLine): string {
  return [rule.pattern, ...rule.owners].join(' ');
}

export interface CodeownersDrift {
  /** Rules of the file that the generated CODEOWNERS does not have (another owner, a broader pattern, a duplicate). */
  unexpected: CodeownersLine[];
  /** Rules the generated CODEOWNERS has that the file lacks. */
  missing: string[];
}

/**
 * The difference between a CODEOWNERS file and the one Blue generates (`expected`, from
 * renderCodeowners): on GitHub the last matching line wins, so any extra line (`* mallory`,
 * `/domains/ mallory`, `/domains/aperture/** mallory`) can take a folder from its maintainers.
 * Comments and blank lines are ignored; each expected rule may appear once.
 */
export function codeownersDrift(text: string, expected: string): CodeownersDrift {
  const want = new Map<string, number>();
  for (const rule of parseCodeowners(expected)) want.set(ruleText(rule), (want.get(ruleText(rule)) ?? 0) + 1);
  const unexpected: CodeownersLine[] = [];
  for (const rule of parseCodeowners(text)) {
    const left = want.get(ruleText(rule)) ?? 0;
    if (left > 0) want.set(ruleText(rule), left - 1);
    else unexpected.push(rule);
  }
  const missing = [...want].flatMap(([line, count]) => Array.from({ length: count }, () => line));
  return { unexpected, missing };
}
