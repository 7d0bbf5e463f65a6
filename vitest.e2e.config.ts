import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // Guards against a hang, never a speed check: a journey takes about a minute on a busy machine.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: true,
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    // Two browser files at a time, each worker keeping its loaded modules (ADR 0024, 0029).
    isolate: false,
  },
});
