import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores in CI: forks keep heavy numeric tests isolated without oversubscribing.
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
