import { BlueError } from '@blue/core';
import type { z } from 'zod';

/**
 * Checks a tool call's arguments against the tool's strict input schema and returns the parsed
 * value. Refusals are Blue errors a model can act on, naming the argument: ARGUMENT_UNKNOWN (with
 * the closest valid name and the whole list), ARGUMENT_MISSING and ARGUMENT_INVALID (with the
 * expected type), never a schema library's dump.
 */
export function parseArguments<S extends z.ZodObject>(tool: string, schema: S, args: unknown): z.output<S> {
  const names = Object.keys(schema.shape);
  const given = args ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new BlueError('ARGUMENT_INVALID', `${tool} takes its arguments as a JSON object (got ${typeName(given)}).`, { hint: validNames(names) });
  }
  for (const key of Object.keys(given)) {
    if (names.includes(key)) continue;
    const near = closest(key, names);
    throw new BlueError('ARGUMENT_UNKNOWN', `${tool} has no argument ${JSON.stringify(key)}${near ? `; did you mean ${JSON.stringify(near)}?` : '.'}`, { hint: validNames(names) });
  }
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const argument = String(issue?.path[0] ?? '');
  const value = (given as Record<string, unknown>)[argument];
  const field = schema.shape[argument] as z.ZodType | undefined;
  const about = field?.description ? ` ${field.description}` : '';
  const at = issue && issue.path.length > 1 ? ` (at ${issue.path.slice(1).map(String).join('.')})` : '';
  if (value === undefined) {
    throw new BlueError('ARGUMENT_MISSING', `${tool} needs the argument ${JSON.stringify(argument)} (${expected(field)}).${about}`, { hint: validNames(names) });
  }
  const detail = issue === undefined || (issue.code === 'invalid_type' && issue.path.length === 1) ? '' : ` (${issue.message})`;
  throw new BlueError('ARGUMENT_INVALID', `${tool} argument ${JSON.stringify(argument)} must be ${expected(field)}${at}, got ${typeName(value)}${detail}.${about}`, {
    hint: validNames(names),
  });
}

function validNames(names: readonly string[]): string {
  return `Valid arguments: ${names.join(', ')}.`;
}

/** The argument's JSON type as the listed input schema states it. */
function expected(field: z.ZodType | undefined): string {
  const def = field === undefined ? undefined : unwrap(field);
  switch (def?.type) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'array':
      return 'an array';
    case 'enum':
      return `one of ${Object.values((def as { entries?: Record<string, string> }).entries ?? {}).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'object':
      return 'an object';
    default:
      return 'any JSON value';
  }
}

function unwrap(field: z.ZodType): { type: string } {
  let def = field.def as { type: string; innerType?: z.ZodType };
  while ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) def = def.innerType.def;
  return def;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The valid name a misspelling most likely meant: same letters ignoring case and separators, else at most 2 edits away. */
export function closest(key: string, names: readonly string[]): string | undefined {
  const fold = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const same = names.find((name) => fold(name) === fold(key));
  if (same) return same;
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(fold(key), fold(name));
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length] ?? 0;
}
