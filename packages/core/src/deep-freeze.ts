/**
 * Freezes `value` and everything it holds (plain data: objects and arrays), so a value shared
 * between callers fails loudly (a TypeError in strict code) instead of changing for the others.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
