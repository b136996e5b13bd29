import { defineConfig } from 'vitest/config';

// One vitest config for the whole workspace. Tests import sibling packages by name, which
// resolve to their built `dist/`, so `pnpm test` builds first (turbo, cached).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
