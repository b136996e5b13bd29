import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run side by side. Most of a file's time is spent waiting on the git and Node
 * processes it starts, so on 2 cores vitest's default (cores − 1 = one file at a time) leaves a
 * core idle: the suite took 19 min that way. BLUE_TEST_WORKERS overrides.
 */
const workers = Number(process.env.BLUE_TEST_WORKERS) || Math.max(2, availableParallelism());

// One vitest config for the whole workspace. Tests import sibling packages by name, which
// resolve to their built `dist/`, so `pnpm test` builds first (turbo, cached).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: two files share the machine, and a test's own budget is in bench/, never here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
