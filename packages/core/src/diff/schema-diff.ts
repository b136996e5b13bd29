import type { JsonSchemaObject, JsonValue } from '../types.js';
import { jsonEqual } from './value-diff.js';

/** How a schema changed: whether it now accepts values it refused, or refuses values it accepted. */
export interface SchemaChange {
  path: string;
  effect: 'widens' | 'narrows' | 'annotation';
  message: string;
}

type Schema = JsonSchemaObject;
const ANNOTATIONS = new Set(['description', 'title', 'examples', '$comment', 'default', 'deprecated', 'readOnly', 'writeOnly', '$schema', '$id']);

function types(schema: Schema): Set<string> | undefined {
  const t = schema.type;
  if (t === undefined) return undefined;
  const list = (Array.isArray(t) ? t : [t]).map(String);
  if (list.includes('number')) list.push('integer');
  return new Set(list);
}

function asSchema(value: JsonValue | undefined): Schema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function numberOr(value: JsonValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/**
 * Compares two JSON Schemas keyword by keyword and says, for each difference, whether the new
 * one accepts more (widens), refuses something the old one accepted (narrows), or only changed
 * annotations. Keywords it does not understand count as narrowing, the safe direction.
 */
export function diffSchemas(before: Schema, after: Schema, path = ''): SchemaChange[] {
  const out: SchemaChange[] = [];
  const at = (suffix: string): string => (path === '' ? suffix : `${path}.${suffix}`);
  const push = (effect: SchemaChange['effect'], message: string, where = path): void => {
    out.push({ path: where, effect, message });
  };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const a = Object.hasOwn(before, key) ? before[key] : undefined;
    const b = Object.hasOwn(after, key) ? after[key] : undefined;
    if (a !== undefined && b !== undefined && jsonEqual(a, b)) continue;
    if (ANNOTATIONS.has(key)) {
      push('annotation', `${key} changed`);
      continue;
    }
    switch (key) {
      case 'type': {
        const ta = types(before);
        const tb = types(after);
        if (ta === undefined) push('narrows', `type restricted to ${[...(tb ?? [])].join('|')}`);
        else if (tb === undefined) push('widens', 'type restriction removed');
        else {
          const lost = [...ta].filter((t) => !tb.has(t));
          const gained = [...tb].filter((t) => !ta.has(t));
          if (lost.length > 0) push('narrows', `type no longer allows ${lost.join(', ')}`);
          if (gained.length > 0) push('widens', `type now allows ${gained.join(', ')}`);
        }
        break;
      }
      case 'properties': {
        const pa = asSchema(a) ?? {};
        const pb = asSchema(b) ?? {};
        for (const name of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
          const sa = Object.hasOwn(pa, name) ? asSchema(pa[name]) : undefined;
          const sb = Object.hasOwn(pb, name) ? asSchema(pb[name]) : undefined;
          if (sa && sb) out.push(...diffSchemas(sa, sb, at(name)));
          else if (sa) push(after.additionalProperties === false ? 'narrows' : 'widens', `property ${name} no longer described`, at(name));
          else if (sb) push(before.additionalProperties === false ? 'widens' : 'narrows', `property ${name} now described`, at(name));
        }
        break;
      }
      case 'required': {
        const ra = new Set(strings(a));
        const rb = new Set(strings(b));
        const added = [...rb].filter((r) => !ra.has(r));
        const dropped = [...ra].filter((r) => !rb.has(r));
        if (added.length > 0) push('narrows', `now requires ${added.join(', ')}`);
        if (dropped.length > 0) push('widens', `no longer requires ${dropped.join(', ')}`);
        break;
      }
      case 'items': {
        const ia = asSchema(a);
        const ib = asSchema(b);
        if (ia && ib) out.push(...diffSchemas(ia, ib, at('items')));
        else push(ia ? 'widens' : 'narrows', ia ? 'items no longer constrained' : 'items now constrained', at('items'));
        break;
      }
      case 'enum': {
        if (a === undefined) push('narrows', 'values restricted to an enum');
        else if (b === undefined) push('widens', 'enum removed');
        else {
          const ea = (a as JsonValue[]).map((v) => JSON.stringify(v));
          const eb = new Set((b as JsonValue[]).map((v) => JSON.stringify(v)));
          if (ea.some((v) => !eb.has(v))) push('narrows', 'enum lost values');
          if ([...eb].some((v) => !ea.includes(v))) push('widens', 'enum gained values');
        }
        break;
      }
      case 'additionalProperties':
        push(b === false ? 'narrows' : a === false ? 'widens' : 'narrows', `additionalProperties ${b === undefined ? 'removed' : `now ${JSON.stringify(b)}`}`);
        break;
      case 'minItems':
      case 'minLength':
      case 'minimum':
      case 'minProperties':
        push(numberOr(b, -Infinity) > numberOr(a, -Infinity) ? 'narrows' : 'widens', `${key} ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
        break;
      case 'maxItems':
      case 'maxLength':
      case 'maximum':
      case 'maxProperties':
        push(numberOr(b, Infinity) < numberOr(a, Infinity) ? 'narrows' : 'widens', `${key} ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
        break;
      default:
        push(b === undefined ? 'widens' : 'narrows', `${key} ${b === undefined ? 'removed' : 'changed'}`);
    }
  }
  return out;
}
