import type { JsonValue } from '../types.js';

/**
 * The value an RFC 6901 JSON pointer names in `value` (`""` is the whole value, `/a/0/b~1c`
 * walks keys and array indexes), or undefined when it names nothing.
 */
export function resolvePointer(value: JsonValue, pointer: string): JsonValue | undefined {
  if (pointer === '') return value;
  if (!pointer.startsWith('/')) return undefined;
  let current: JsonValue | undefined = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = /^(?:0|[1-9]\d*)$/.test(key) ? current[Number(key)] : undefined;
    else if (typeof current === 'object' && current !== null && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
