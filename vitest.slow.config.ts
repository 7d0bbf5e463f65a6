import { defineConfig } from 'vitest/config';

/**
 * The slow tests (test/slow): load against real server processes and faults that kill the
 * server, restart PostgreSQL and take the mail server away. One file at a time, never beside
 * `npm test` (a PostgreSQL restart would break tests running in parallel). `npm run test:slow`.
 */
export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
