import type { JsonValue } from '../types.js';
import { parsePolicy, type ParsedPolicy, type PolicyFormat, type PolicyStatement } from './policy-statements.js';
import { wildcardContains, wildcardMatch, wildcardOverlap } from './wildcard.js';

export type S3AccessKind = 'read' | 'write';

/** How one value of an import is covered by its binding. */
export interface CoveredValue {
  value: string;
  /** For `s3-paths`: which list of the export the value is in. */
  access?: S3AccessKind;
  covered: boolean;
  /** The grant (resource as written in the binding) that covers the value. */
  covered_by?: string;
  /** The statement (`Sid`, or `statement N`) holding that grant. */
  statement?: string;
  /** Covered only because the binding mentions it (the policy could not be read in full). */
  textual?: boolean;
  /** Why it is not covered, one sentence. */
  reason?: string;
}

/** A grant of the binding that no current value of the export needs. */
export interface UnusedGrant {
  grant: string;
  statement: string;
}

export interface BindingCoverage {
  /** `policy`: the binding's IAM statements were read; `textual`: a value counts when the file mentions it. */
  coverage: 'policy' | 'textual';
  format?: PolicyFormat;
  values: CoveredValue[];
  /** The values not covered (each once), in value order. */
  missing: string[];
  /** Least-privilege hints: grants no current value needs. Never a failure. */
  unused: UnusedGrant[];
  notes: string[];
  /**
   * The policy's object grants in the export's bucket (`bucket/key` patterns) per access, when
   * the policy was read in full without Deny or conditions: what a provider may check a new value
   * against without the consumer's file (see coveredByGrants).
   */
  grants?: { read: string[]; write: string[] };
}

const ACTION: Record<S3AccessKind, string> = { read: 's3:getobject', write: 's3:putobject' };
const ACTION_SHOWN: Record<S3AccessKind, string> = { read: 's3:GetObject', write: 's3:PutObject' };

/** `{read: [...], write: [...]}` with string items, or undefined. */
export function s3PathsOf(value: JsonValue): { read: string[]; write: string[] } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { read, write } = value;
  const strings = (v: JsonValue | undefined): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return strings(read) && strings(write) ? { read, write } : undefined;
}

/**
 * Coverage of an `s3-paths` export value by the IAM policy in a binding file (IAM's resource
 * matching: `*` and `?` match any characters, `/` included). A read value needs a statement
 * allowing `s3:GetObject` on a resource that contains every key the value names, a write value
 * `s3:PutObject`; a Deny on an overlapping resource takes it away; a conditional Allow does not
 * count. Keys are relative to `bucket` when given, else `bucket/key`. A binding whose policy
 * cannot be read falls back to the textual test, with a note.
 */
export function s3BindingCoverage(input: { value: JsonValue; bucket?: string | undefined; path: string; text: string }): BindingCoverage {
  const paths = s3PathsOf(input.value);
  const wanted = paths === undefined ? [] : (['read', 'write'] as const).flatMap((access) => paths[access].map((value) => ({ value, access })));
  const policy = parsePolicy(input.path, input.text);
  if (policy.format === undefined || policy.unsupported.length > 0) {
    const why = policy.format === undefined ? `${input.path} holds no IAM statement and no S3 ARN Blue can read` : policy.unsupported.join('; ');
    const values = wanted.map(({ value, access }): CoveredValue => ({ value, access, covered: input.text.includes(value), ...(input.text.includes(value) ? {} : { reason: `${input.path} does not mention it` }) }));
    return finish('textual', values, [], [...policy.notes, `Coverage is textual (${why}): a value counts as granted when the file mentions it.`], policy.format);
  }
  const partial = policy.statements.some((s) => s.unresolved.length > 0);
  const values = wanted.map(({ value, access }) => {
    const result = coverValue(policy, requiredFor(value, input.bucket), access, value);
    if (!result.covered && partial && input.text.includes(value)) return { value, access, covered: true, textual: true };
    return result;
  });
  const notes = [...policy.notes];
  if (values.some((v) => v.textual === true)) notes.push('Some values count as granted only because the binding mentions them: Blue could not resolve every resource of its statements.');
  for (const s of policy.statements.filter((x) => x.conditional && x.effect === 'Allow' && x.resources.some((r) => objectLevel(normaliseResource(r))))) {
    notes.push(`${s.label} has a Condition, which Blue does not evaluate: its grants are not counted.`);
  }
  const result = finish('policy', values, unusedGrants(policy, wanted, input.bucket), notes, policy.format);
  const grants = grantsOf(policy, input.bucket);
  if (grants !== undefined) result.grants = grants;
  return result;
}

function grantsOf(policy: ParsedPolicy, bucket: string | undefined): { read: string[]; write: string[] } | undefined {
  if (bucket === undefined || policy.statements.some((s) => s.effect === 'Deny' || s.unresolved.length > 0)) return undefined;
  const out = { read: new Set<string>(), write: new Set<string>() };
  for (const s of policy.statements.filter((x) => !x.conditional)) {
    for (const raw of s.resources) {
      const g = normaliseResource(raw);
      if (g === undefined || !objectLevel(g) || !wildcardOverlap(g, `${bucket}/*`).overlap) continue;
      for (const access of ['read', 'write'] as const) if (allows(s, access)) out[access].add(g);
    }
  }
  return { read: [...out.read].sort(), write: [...out.write].sort() };
}

/**
 * Whether recorded grants (see BindingCoverage.grants) cover every path of an `s3-paths` value
 * relative to `bucket`: the provider's view of a consumer's binding, without its file.
 */
export function coveredByGrants(value: JsonValue, bucket: string, grants: { read: readonly string[]; write: readonly string[] }): boolean {
  const paths = s3PathsOf(value);
  if (paths === undefined) return false;
  return (['read', 'write'] as const).every((access) => paths[access].every((v) => grants[access].some((g) => wildcardContains(g, `${bucket}/${v}`).contains)));
}

function finish(coverage: BindingCoverage['coverage'], values: CoveredValue[], unused: UnusedGrant[], notes: string[], format: PolicyFormat | undefined): BindingCoverage {
  const missing = [...new Set(values.filter((v) => !v.covered).map((v) => v.value))];
  return { coverage, ...(format === undefined ? {} : { format }), values, missing, unused, notes };
}

interface Required {
  /** `bucket/key`, or just the key when the export names no bucket. */
  resource: string;
  anyBucket: boolean;
}

function requiredFor(value: string, bucket: string | undefined): Required {
  return bucket === undefined ? { resource: value, anyBucket: true } : { resource: `${bucket}/${value}`, anyBucket: false };
}

/** The resource part of an S3 ARN (`bucket/key`), `*`, or the rest of an `s3://` URI; else undefined. */
export function normaliseResource(resource: string): string | undefined {
  const arn = /^arn:(?:\*|[\w-]+):s3:(?:\*|[\w-]*):(?:\*|\d*):(.+)$/.exec(resource);
  if (arn !== null) return arn[1];
  if (resource === '*') return '*';
  if (resource.startsWith('s3://')) return resource.slice(5);
  return undefined;
}

function objectLevel(resource: string | undefined): boolean {
  return resource !== undefined && (resource.includes('/') || resource.includes('*') || resource.includes('?'));
}

/** Candidate strings of a grant to compare with a requirement (with any bucket: the key part too). */
function grantForms(grant: string, required: Required): string[] {
  if (!required.anyBucket) return [grant];
  const slash = grant.indexOf('/');
  return slash < 0 ? [grant] : [grant, grant.slice(slash + 1)];
}

function allows(statement: PolicyStatement, access: S3AccessKind): boolean {
  return statement.actions.some((a) => wildcardMatch(a.toLowerCase(), ACTION[access]));
}

function coverValue(policy: ParsedPolicy, required: Required, access: S3AccessKind, value: string): CoveredValue {
  const base = { value, access };
  const grants = (s: PolicyStatement): Array<{ raw: string; forms: string[] }> =>
    s.resources.flatMap((raw) => {
      const g = normaliseResource(raw);
      return g === undefined ? [] : [{ raw, forms: grantForms(g, required) }];
    });
  for (const s of policy.statements.filter((x) => x.effect === 'Deny' && allows(x, access))) {
    const hit = grants(s).find((g) => g.forms.some((f) => wildcardOverlap(f, required.resource).overlap));
    if (hit !== undefined) return { ...base, covered: false, reason: `${s.label} denies ${ACTION_SHOWN[access]} on ${hit.raw}` };
  }
  const contains = (g: { forms: string[] }): boolean => g.forms.some((f) => wildcardContains(f, required.resource).contains);
  for (const s of policy.statements.filter((x) => x.effect === 'Allow' && !x.conditional && allows(x, access))) {
    const hit = grants(s).find(contains);
    if (hit !== undefined) return { ...base, covered: true, covered_by: hit.raw, statement: s.label };
  }
  for (const s of policy.statements.filter((x) => x.effect === 'Allow' && !x.conditional)) {
    const hit = grants(s).find(contains);
    if (hit !== undefined) return { ...base, covered: false, reason: `${hit.raw} is granted by ${s.label} only for ${s.actions.join(', ') || 'no action'}; ${access === 'write' ? 'writing' : 'reading'} needs ${ACTION_SHOWN[access]}` };
  }
  for (const s of policy.statements.filter((x) => x.effect === 'Allow' && allows(x, access))) {
    const hit = grants(s).find(contains);
    if (hit !== undefined) return { ...base, covered: false, reason: `${hit.raw} is granted by ${s.label} only under a Condition, which Blue does not evaluate` };
    const part = grants(s).find((g) => g.forms.some((f) => wildcardOverlap(f, required.resource).overlap));
    if (part !== undefined) {
      const witness = wildcardContains(part.forms[0] ?? '', required.resource).witness;
      return { ...base, covered: false, reason: `${part.raw} (${s.label}) covers only part of it${witness === undefined ? '' : ` (not e.g. ${shown(witness)})`}` };
    }
  }
  return { ...base, covered: false, reason: `no statement allows ${ACTION_SHOWN[access]} on it` };
}

/** A witness string with the "any other character" placeholder shown as `x`. */
function shown(witness: string): string {
  return witness.split('\u0000').join('x');
}

/**
 * Grants (object-level resources of Allow statements, within the export's bucket) that overlap
 * no value of an access the statement allows.
 */
function unusedGrants(policy: ParsedPolicy, wanted: ReadonlyArray<{ value: string; access: S3AccessKind }>, bucket: string | undefined): UnusedGrant[] {
  const unused: UnusedGrant[] = [];
  for (const s of policy.statements.filter((x) => x.effect === 'Allow' && !x.conditional)) {
    for (const raw of s.resources) {
      const g = normaliseResource(raw);
      if (g === undefined || !objectLevel(g)) continue;
      if (bucket !== undefined && !wildcardOverlap(g, `${bucket}/*`).overlap) continue;
      const used = wanted.some(({ value, access }) => {
        if (!allows(s, access)) return false;
        const required = requiredFor(value, bucket);
        return grantForms(g, required).some((f) => wildcardOverlap(f, required.resource).overlap);
      });
      if (!used && !unused.some((u) => u.grant === raw && u.statement === s.label)) unused.push({ grant: raw, statement: s.label });
    }
  }
  return unused;
}
