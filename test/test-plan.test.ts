import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from '@blue/testkit';

interface TestPlan {
  items: Array<{ id: string; source: 'rfc' | 'ours'; title: string }>;
  pending: Record<string, number>;
}

async function testFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const top of ['packages', 'apps', 'test']) {
    const entries = await readdir(join(WORKSPACE_ROOT, top), { recursive: true });
    for (const entry of entries) {
      if (entry.endsWith('.test.ts') && !entry.includes('node_modules')) found.push(join(WORKSPACE_ROOT, top, entry));
    }
  }
  return found;
}

/** The ids a test file cites through the verifies helper (one id, or a list of ids). */
function citedIds(source: string): string[] {
  const ids: string[] = [];
  for (const match of source.matchAll(/\bverifies\(\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/g)) {
    for (const id of (match[1] ?? '').matchAll(/['"]([^'"]+)['"]/g)) ids.push(id[1] ?? '');
  }
  return ids;
}

describe('test plan coverage', async () => {
  const plan = parse(await readFile(join(WORKSPACE_ROOT, 'test-plan.yaml'), 'utf8')) as TestPlan;
  const known = new Set(plan.items.map((i) => i.id));
  const cited = new Map<string, string[]>();
  for (const file of await testFiles()) {
    for (const id of citedIds(await readFile(file, 'utf8'))) cited.set(id, [...(cited.get(id) ?? []), file]);
  }

  it('has unique kebab-case ids and keeps every RFC checkbox', () => {
    expect(new Set(plan.items.map((i) => i.id)).size).toBe(plan.items.length);
    for (const item of plan.items) expect(item.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(plan.items.filter((i) => i.source === 'rfc')).toHaveLength(23);
  });

  it('is cited only with ids it defines', () => {
    const unknown = [...cited.keys()].filter((id) => !known.has(id)).map((id) => `${id} (in ${cited.get(id)?.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('has every id cited by a test, or pending with the issue that will cite it', () => {
    const uncited = [...known].filter((id) => !cited.has(id));
    const notPending = uncited.filter((id) => !(id in plan.pending));
    expect(notPending, 'ids with no test and not listed as pending').toEqual([]);
    for (const [id, issue] of Object.entries(plan.pending)) {
      expect(known.has(id), `pending id ${id} is in the plan`).toBe(true);
      expect(Number.isInteger(issue), `pending id ${id} names its issue`).toBe(true);
    }
  });

  it('lists as pending only ids that no test cites yet (the list only shrinks)', () => {
    const citedButPending = Object.keys(plan.pending).filter((id) => cited.has(id));
    expect(citedButPending, 'remove these from `pending` in test-plan.yaml').toEqual([]);
  });
});
