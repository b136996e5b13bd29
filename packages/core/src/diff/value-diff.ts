import { formatPath } from '../validate.js';
import type { JsonValue } from '../types.js';

/** One difference between two JSON values. Arrays of items are compared as sets. */
export interface ValueChange {
  /** Where, e.g. `read` or `limits.max` ('' for the whole value). */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** The item added or removed (for arrays), or the key's value (for objects). */
  value?: JsonValue;
  from?: JsonValue;
  to?: JsonValue;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as JSON with object keys in code-unit order (any fixed order does; localeCompare was 5 ms of a `blue status`). */
function key(value: JsonValue): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObject(v as JsonValue) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** True when two JSON values are equal (object key order ignored). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  return key(a) === key(b);
}

/**
 * The changes from `before` to `after`: items added to or removed from arrays (order ignored),
 * keys added or removed in objects, and scalars or types that changed.
 */
export function diffValues(before: JsonValue, after: JsonValue, pointer: Array<string | number> = []): ValueChange[] {
  const path = formatPath(pointer);
  if (Array.isArray(before) && Array.isArray(after)) {
    const had = new Map(before.map((v) => [key(v), v]));
    const has = new Map(after.map((v) => [key(v), v]));
    return [
      ...[...has].filter(([k]) => !had.has(k)).map(([, v]): ValueChange => ({ path, kind: 'added', value: v })),
      ...[...had].filter(([k]) => !has.has(k)).map(([, v]): ValueChange => ({ path, kind: 'removed', value: v })),
    ];
  }
  if (isObject(before) && isObject(after)) {
    const changes: ValueChange[] = [];
    // Own keys only: a key named "toString" or "__proto__" is data, not what objects inherit.
    for (const [k, v] of Object.entries(after)) {
      if (!Object.hasOwn(before, k)) changes.push({ path: formatPath([...pointer, k]), kind: 'added', value: v });
      else changes.push(...diffValues(before[k] as JsonValue, v, [...pointer, k]));
    }
    for (const [k, v] of Object.entries(before)) {
      if (!Object.hasOwn(after, k)) changes.push({ path: formatPath([...pointer, k]), kind: 'removed', value: v });
    }
    return changes;
  }
  return jsonEqual(before, after) ? [] : [{ path, kind: 'changed', from: before, to: after }];
}

/** `+ training-metrics/experiments/*` / `- jobs/*` / `~ limit: 1 → 2` lines for people. */
export function describeChange(change: ValueChange): string {
  const show = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const where = change.path === '' ? '' : ` (${change.path})`;
  if (change.kind === 'added') return `+ ${show(change.value)}${where}`;
  if (change.kind === 'removed') return `- ${show(change.value)}${where}`;
  return `~ ${change.path || 'value'}: ${show(change.from)} → ${show(change.to)}`;
}
