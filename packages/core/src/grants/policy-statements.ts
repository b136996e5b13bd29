import { ExprParser, literalText, type Expr } from './policy-expr.js';
import { collectSymbols, resolveItems, resolveObject, resolveStrings, type Symbols } from './policy-resolve.js';
import { tokenizePolicy, type Dialect, type PolicyToken } from './policy-tokens.js';

/** One IAM statement as Blue understood it. */
export interface PolicyStatement {
  /** `Sid`, else `statement N` (1-based, in file order). */
  label: string;
  effect: 'Allow' | 'Deny';
  /** Action patterns as written (`s3:GetObject`, `s3:Get*`, `*`). */
  actions: string[];
  /** Resource strings as written (ARNs, `*`). */
  resources: string[];
  /** Has a Condition, which Blue does not evaluate. */
  conditional: boolean;
  /** Resources or actions Blue could not resolve to strings (described). */
  unresolved: string[];
}

export type PolicyFormat = 'iam-json' | 'terraform' | 'cdk-python' | 'cdk-typescript' | 'arn-list';

export interface ParsedPolicy {
  /** What was recognised; undefined when the file holds no statements and no S3 ARNs. */
  format?: PolicyFormat;
  statements: PolicyStatement[];
  /**
   * Why the statements cannot be trusted as a whole (NotAction, NotResource, nothing found):
   * coverage then falls back to the textual test.
   */
  unsupported: string[];
  /** Statements or parts Blue skipped, one sentence each. */
  notes: string[];
}

const S3_ARN = /^arn:[\w-]+:s3:::/;

/** The dialect a binding file is read in, from its name (and its first character for unknown ones). */
export function policyDialect(path: string, text: string): Dialect {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'py' || ext === 'pyi') return 'python';
  if (['ts', 'tsx', 'mts', 'cts', 'js', 'mjs', 'cjs', 'jsx'].includes(ext)) return 'typescript';
  if (ext === 'tf' || ext === 'hcl') return 'hcl';
  if (ext === 'json') return 'json';
  return text.trimStart().startsWith('{') ? 'json' : 'hcl';
}

/**
 * The IAM statements of a binding file: CDK `PolicyStatement(...)` (Python keyword arguments,
 * TypeScript object), Terraform `aws_iam_policy_document` `statement { }` blocks, and any
 * `Statement` list in JSON, `jsonencode(...)`, heredocs, Python dicts or JS objects. Names are
 * resolved through the file's assignments. A file without statements that lists S3 ARNs is an
 * `arn-list`: one Allow statement per file, actions unknown. Never throws.
 */
export function parsePolicy(path: string, text: string): ParsedPolicy {
  const dialect = policyDialect(path, text);
  const result: ParsedPolicy = { statements: [], unsupported: [], notes: [] };
  collect(text, dialect, result, 0);
  if (result.statements.length > 0) {
    result.format = dialect === 'python' ? 'cdk-python' : dialect === 'typescript' ? 'cdk-typescript' : dialect === 'hcl' ? 'terraform' : 'iam-json';
    return result;
  }
  const arns = stringLiterals(tokenizePolicy(text, dialect)).filter((s) => S3_ARN.test(s));
  if (arns.length === 0) return result;
  result.format = 'arn-list';
  result.statements.push({ label: 'the listed ARNs', effect: 'Allow', actions: ['*'], resources: [...new Set(arns)], conditional: false, unresolved: [] });
  result.notes.push(`${path} lists S3 ARNs without IAM actions, so read and write access is not told apart.`);
  return result;
}

function collect(text: string, dialect: Dialect, result: ParsedPolicy, nesting: number): void {
  const tokens = tokenizePolicy(text, dialect);
  const parser = new ExprParser(tokens);
  const symbols = collectSymbols(tokens, parser);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as PolicyToken;
    if (tok.kind === 'heredoc' && nesting < 2) collect(tok.text, 'json', result, nesting + 1);
    if (tok.kind === 'ident' && tok.text === 'PolicyStatement' && parser.isPunct(i + 1, '(')) {
      const [call] = parser.parse(i);
      if (call.t === 'call') addStatement(result, call.args[0]?.t === 'obj' ? call.args[0].entries : call.kwargs, symbols);
    } else if (tok.kind === 'ident' && /^(?:from_json|fromJson)$/.test(tok.text) && tokens[i - 2]?.kind === 'ident' && (tokens[i - 2] as { text: string }).text === 'PolicyStatement' && parser.isPunct(i + 1, '(')) {
      const [arg] = parser.parse(i + 2);
      const entries = resolveObject(arg, symbols);
      if (entries !== undefined) addStatement(result, entries, symbols);
    } else if (dialect === 'hcl' && tok.kind === 'ident' && tok.text === 'statement' && parser.isPunct(i + 1, '{')) {
      const [block, end] = parser.parse(i + 1);
      if (block.t === 'obj') addStatement(result, block.entries, symbols);
      i = end - 1;
    } else if (isStatementKey(tok) && (parser.isPunct(i + 1, ':') || parser.isPunct(i + 1, '='))) {
      const [list, end] = parser.parse(i + 2);
      for (const item of resolveItems(list, symbols)) {
        const entries = resolveObject(item, symbols);
        if (entries !== undefined) addStatement(result, entries, symbols);
        else result.notes.push(`A Statement entry is not an object Blue can read; it was skipped.`);
      }
      i = end - 1;
    }
  }
}

function isStatementKey(tok: PolicyToken): boolean {
  if (tok.kind === 'ident') return tok.text === 'Statement';
  return tok.kind === 'string' && literalText(tok.parts) === 'Statement';
}

function stringLiterals(tokens: readonly PolicyToken[]): string[] {
  return tokens.flatMap((t) => (t.kind === 'string' ? [literalText(t.parts) ?? ''] : []));
}

/** `NotAction`, `not_actions`, `notActions` → `notaction`. */
function fieldName(key: string): string {
  return key.toLowerCase().replace(/_/g, '').replace(/s$/, '');
}

function addStatement(result: ParsedPolicy, entries: ReadonlyArray<[string, Expr]>, symbols: Symbols): void {
  const fields = new Map<string, Expr>();
  for (const [key, value] of entries) fields.set(fieldName(key), value);
  const label = sidOf(fields.get('sid'), symbols) ?? `statement ${result.statements.length + 1}`;
  for (const not of ['notaction', 'notresource', 'notprincipal']) {
    if (fields.has(not)) result.unsupported.push(`${label} uses ${not === 'notaction' ? 'NotAction' : not === 'notresource' ? 'NotResource' : 'NotPrincipal'}, which Blue does not evaluate`);
  }
  const effect = effectOf(fields.get('effect'), symbols);
  if (effect === undefined) {
    result.notes.push(`${label}: its Effect is neither Allow nor Deny; skipped.`);
    return;
  }
  const actions = resolveStrings(fields.get('action') ?? { t: 'list', items: [] }, symbols);
  const resources = resolveStrings(fields.get('resource') ?? { t: 'list', items: [] }, symbols);
  const statement: PolicyStatement = {
    label,
    effect,
    actions: actions.values,
    resources: resources.values,
    conditional: fields.has('condition'),
    unresolved: [...actions.unknown, ...resources.unknown],
  };
  if (statement.unresolved.length > 0) result.notes.push(`${label}: Blue could not resolve ${statement.unresolved.join(', ')}.`);
  result.statements.push(statement);
}

function sidOf(expr: Expr | undefined, symbols: Symbols): string | undefined {
  if (expr === undefined) return undefined;
  const resolved = resolveStrings(expr, symbols);
  return resolved.values.length === 1 && resolved.values[0] !== '' ? resolved.values[0] : undefined;
}

function effectOf(expr: Expr | undefined, symbols: Symbols): 'Allow' | 'Deny' | undefined {
  if (expr === undefined) return 'Allow';
  const resolved = resolveStrings(expr, symbols).values;
  const name = resolved.length === 1 ? resolved[0] : expr.t === 'ref' ? expr.name.slice(expr.name.lastIndexOf('.') + 1) : undefined;
  if (name === undefined) return undefined;
  if (/^allow$/i.test(name)) return 'Allow';
  if (/^deny$/i.test(name)) return 'Deny';
  return undefined;
}
