import { it } from 'vitest';

/**
 * A test that verifies one or more items of the test plan (`test-plan.yaml`). The ids are
 * checked by the coverage test: citing an unknown id fails the suite.
 */
export function verifies(ids: string | readonly string[], title: string, fn: () => Promise<void> | void, timeout?: number): void {
  const list = typeof ids === 'string' ? [ids] : ids;
  it(`${title} [${list.join(', ')}]`, fn, timeout);
}
