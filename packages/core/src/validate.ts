import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { EXPORT_SCHEMA_OPTIONS, FILE_SCHEMA_OPTIONS, META_SCHEMA_2020, STANDALONE_META, STANDALONE_VALIDATORS, isDateTime } from './ajv-options.js';
import { linearRegExpEngine } from './bounded-pattern.js';
import { requireFromCore } from './package-root.js';
import { loadSchema } from './schemas.js';
import { validationMemo } from './validation-memo.js';
import type { FileKind, FileKinds, JsonSchemaObject } from './types.js';

/** One problem found by validation: where (`value.read[2]`), and what is wrong. */
export interface ValidationIssue {
  /** Human path of the field, e.g. `exports[0].value.read[2]`; empty for the whole document. */
  path: string;
  /** The same path as segments, for locating the node in a YAML document. */
  pointer: Array<string | number>;
  message: string;
  /** SCHEMA_UNSAFE when the schema itself cannot be used safely (a pattern RE2 refuses, endless `$ref`). */
  code?: 'SCHEMA_UNSAFE';
}

// ajv and the build's standalone validators are CommonJS: loaded synchronously, and only when
// something is validated (a command that validates nothing never pays for them).

type AjvClass = typeof Ajv2020;
let AjvCtor: AjvClass | undefined;
function ajvClass(): AjvClass {
  AjvCtor ??= (requireFromCore('ajv/dist/2020.js') as { Ajv2020: AjvClass }).Ajv2020;
  return AjvCtor;
}

let fileEngine: Ajv2020 | undefined;
/** Compiles file schemas at run time: only when the build's standalone validators are missing. */
function compileFileSchema(kind: FileKind): ValidateFunction {
  fileEngine ??= new (ajvClass())(FILE_SCHEMA_OPTIONS).addFormat('date-time', isDateTime);
  return fileEngine.compile(loadSchema(kind));
}

let standalone: Partial<Record<FileKind, ValidateFunction>> | null | undefined;
/** The validators written by the build (dist/file-validators.cjs); null when running from source. */
function standaloneValidators(): Partial<Record<FileKind, ValidateFunction>> | null {
  if (standalone === undefined) {
    try {
      standalone = requireFromCore(`./dist/${STANDALONE_VALIDATORS}`) as Partial<Record<FileKind, ValidateFunction>>;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw err;
      standalone = null;
    }
  }
  return standalone;
}

let metaValidator: ValidateFunction | null | undefined;
/** The build's standalone validator of the 2020-12 meta-schema (dist/schema-meta-validator.cjs); null when running from source. */
function standaloneMeta(): ValidateFunction | null {
  if (metaValidator === undefined) {
    try {
      metaValidator = (requireFromCore(`./dist/${STANDALONE_META}`) as { meta: ValidateFunction }).meta;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw err;
      metaValidator = null;
    }
  }
  return metaValidator;
}

const compiled = new Map<FileKind, ValidateFunction>();

function validatorFor(kind: FileKind): ValidateFunction {
  let fn = compiled.get(kind);
  if (fn === undefined) {
    fn = standaloneValidators()?.[kind] ?? compileFileSchema(kind);
    compiled.set(kind, fn);
  }
  return fn;
}

/** Whether file validation runs on the build's precompiled validators (false when running from source). */
export function usesStandaloneValidators(): boolean {
  return standaloneValidators() !== null;
}

/** Validates a parsed file against the schema of its kind. Returns the issues; empty means valid. */
export function validateFile<K extends FileKind>(kind: K, value: unknown): ValidationIssue[] {
  const fn = validatorFor(kind);
  return fn(value) ? [] : toIssues(fn.errors ?? [], value);
}

export function isFileOfKind<K extends FileKind>(kind: K, value: unknown): value is FileKinds[K] {
  return validateFile(kind, value).length === 0;
}

/** Compiled export schemas by their JSON text: a long-running server checks the same few again and again. */
const compiledSchemas = new Map<string, ValidateFunction | Error>();
const COMPILED_SCHEMAS_MAX = 256;

function compileExportSchema(schema: JsonSchemaObject, key: string): ValidateFunction | Error {
  const known = compiledSchemas.get(key);
  if (known !== undefined) return known;
  let compiled: ValidateFunction | Error;
  try {
    // Patterns run on RE2 (linear time): the schema is another domain's, the value may be too.
    // A schema of JSON Schema 2020-12 (no `$schema`, or that one) is checked by the build's standalone
    // meta-schema validator, with ajv's own message; others (another `$schema`) by ajv, as before.
    const meta = typeof schema === 'object' && (schema.$schema === undefined || schema.$schema === META_SCHEMA_2020) ? standaloneMeta() : null;
    const ajv = new (ajvClass())({ ...EXPORT_SCHEMA_OPTIONS, code: { regExp: linearRegExpEngine }, ...(meta === null ? {} : { validateSchema: false }) });
    if (meta !== null && !meta(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(meta.errors)}`);
    compiled = ajv.compile(schema);
  } catch (err) {
    compiled = err instanceof Error ? err : new Error(String(err));
  }
  // Bounded: the oldest entry goes first.
  if (compiledSchemas.size >= COMPILED_SCHEMAS_MAX) compiledSchemas.delete(compiledSchemas.keys().next().value as string);
  compiledSchemas.set(key, compiled);
  return compiled;
}

/**
 * Loads what compiling an export schema needs (ajv, the meta-schema validator: ~12 ms of module
 * loading), for a caller with time to spare now (a sync waiting on git), not at its first
 * validateAgainstSchema. Only what that call would load anyway, so it never costs extra.
 */
export function prepareSchemaCompiler(): void {
  standaloneMeta();
  ajvClass();
}

/**
 * Validates a value against an arbitrary JSON Schema (an export's own schema). Compiled once per
 * distinct schema, and the outcome remembered per (schema, value): see validationMemo.
 */
export function validateAgainstSchema(schema: JsonSchemaObject, value: unknown): ValidationIssue[] {
  const schemaText = JSON.stringify(schema);
  const key = validationMemo.key(schemaText, value);
  const known = validationMemo.get(key);
  if (known !== undefined) return known;
  const fn = compileExportSchema(schema, schemaText);
  const issues = fn instanceof Error ? [{ ...schemaProblem(fn) }] : runBounded(fn, value);
  validationMemo.set(key, issues);
  return issues;
}

/** The issue of a schema ajv could not compile; SCHEMA_UNSAFE when the reason is a pattern RE2 refuses. */
function schemaProblem(err: Error): ValidationIssue {
  if (err instanceof RangeError) return ENDLESS;
  const issue: ValidationIssue = { path: 'schema', pointer: ['schema'], message: `is not a valid JSON Schema: ${err.message}` };
  if (/cannot be matched in linear time/.test(err.message)) issue.code = 'SCHEMA_UNSAFE';
  return issue;
}

/** A schema whose `$ref`s lead back to themselves on the same value: caught when compiling or when validating. */
const ENDLESS: ValidationIssue = { path: 'schema', pointer: ['schema'], code: 'SCHEMA_UNSAFE', message: 'refers to itself without end ($ref or $dynamicRef back to a schema that holds it, on the same value); Blue stops such schemas instead of validating' };

/**
 * Runs a compiled export schema. A schema that refers to itself without consuming the value
 * (`$ref: "#"`, a `$dynamicRef` loop) recurses until the stack is gone: that is caught here, at
 * the first frame that overflows, and reported as SCHEMA_UNSAFE instead of crashing the process.
 * Values are at most MAX_YAML_DEPTH deep, so a schema that recurses with the value never gets near.
 */
function runBounded(fn: ValidateFunction, value: unknown): ValidationIssue[] {
  try {
    return fn(value) ? [] : toIssues(fn.errors ?? [], value);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return [{ ...ENDLESS }];
  }
}

/** Formats segments as `exports[0].value.read[2]`. */
export function formatPath(pointer: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of pointer) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function parsePointer(instancePath: string, value: unknown): Array<string | number> {
  if (instancePath === '') return [];
  const segments: Array<string | number> = [];
  let node: unknown = value;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(node) && /^\d+$/.test(seg);
    segments.push(isIndex ? Number(seg) : seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return segments;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'function' || typeof value === 'symbol' ? typeof value : `${value as number | boolean | bigint | undefined}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function messageFor(err: ErrorObject): { extra?: string; message: string } {
  const params = err.params as Record<string, unknown>;
  const description = (err.parentSchema as { description?: unknown } | undefined)?.description;
  switch (err.keyword) {
    case 'required':
      return { extra: String(params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { extra: String(params.additionalProperty), message: 'is not a known field (check its spelling or remove it)' };
    case 'type': {
      const types = Array.isArray(params.type) ? params.type.map(String) : [String(params.type)];
      return { message: `must be ${types.map(article).join(' or ')} (got ${describe(err.data)})` };
    }
    case 'enum':
      return { message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${describe(err.data)})` };
    case 'const':
      return { message: `must be ${JSON.stringify(params.allowedValue)} (got ${describe(err.data)})` };
    case 'pattern':
    case 'maxLength':
    case 'minLength':
      return { message: `${typeof description === 'string' ? `must be ${description}` : (err.message ?? 'is invalid')} (got ${describe(err.data)})` };
    case 'format':
      return { message: `must be ${article(String(params.format))} (got ${describe(err.data)})` };
    case 'oneOf':
    case 'anyOf':
      return { message: 'does not match any of the allowed forms' };
    default:
      return { message: `${err.message ?? 'is invalid'}` };
  }
}

/**
 * For a failed `oneOf` whose branches are told apart by a `const` (e.g. `kind`), keep only the
 * errors of the branch the document chose; when it chose none, report the allowed values once.
 */
function pruneOneOf(errors: readonly ErrorObject[]): ErrorObject[] {
  let result = [...errors];
  for (const one of errors.filter((e) => e.keyword === 'oneOf')) {
    const prefix = `${one.schemaPath}/`;
    const inside = result.filter((e) => e.schemaPath.startsWith(prefix));
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const chosen = [...branches.values()].filter((errs) => !errs.some((e) => e.keyword === 'const'));
    result = result.filter((e) => e !== one && !inside.includes(e));
    if (chosen.length === 1 && chosen[0] !== undefined) {
      result.push(...chosen[0]);
    } else if (chosen.length === 0 && inside.some((e) => e.keyword === 'const')) {
      const consts = inside.filter((e) => e.keyword === 'const');
      const first = consts[0] as ErrorObject;
      const allowedValues = consts.map((e) => (e.params as { allowedValue: unknown }).allowedValue);
      result.push({ ...first, keyword: 'enum', params: { allowedValues } });
    } else {
      result.push(one);
    }
  }
  return result;
}

function toIssues(errors: readonly ErrorObject[], value: unknown): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const err of pruneOneOf(errors)) {
    const pointer = parsePointer(err.instancePath, value);
    const { extra, message } = messageFor(err);
    if (extra !== undefined) pointer.push(extra);
    const issue = { path: formatPath(pointer), pointer, message };
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}
