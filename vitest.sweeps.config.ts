import { defineConfig } from 'vitest/config';

/**
 * The sweeps (test/sweeps): every route given the whole hostile corpus, every form given text that
 * breaks lines or turns direction, and the lifecycle model's random sequences, on both databases.
 * Each asserts a promise over every door rather than one behaviour, and together they cost more
 * than the rest of the suite, so they run as their own stage (`npm run test:sweeps`, in CI after
 * `npm test`) and `npm test` stays quick to run while working (ADR 0029).
 */
export default defineConfig({
  test: {
    include: ['test/sweeps/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 600_000,
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    isolate: false,
  },
});
