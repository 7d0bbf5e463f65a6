import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // Guards against a hang, never a speed check: a journey takes about a minute on a busy machine.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    // The browser files share one worker and its loaded modules (ADR 0024).
    isolate: false,
  },
});
