import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // test/slow runs on its own (npm run test:slow): it restarts PostgreSQL and takes minutes;
    // test/sweeps is its own stage too (npm run test:sweeps, ADR 0029).
    exclude: ['test/e2e/**', 'test/slow/**', 'test/sweeps/**', 'node_modules/**'],
    // Guards against a hang, never a speed check: on a shared machine at load 13 (2 cores) opening
    // a PostgreSQL schema and migrating it took over 120 s.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Two workers whatever the core count: Vitest's default is one fewer than the cores, one
    // worker on a two-core machine, which then waits on PostgreSQL and the SMTP peer with a core
    // idle (ADR 0027).
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    // One module graph per worker, not per file: loading the app's modules cost more than
    // most files' tests (ADR 0024). Files still get their own database and app; nothing in src/
    // keeps per-process state a later file could see (module-level caches are keyed by catalog).
    isolate: false,
  },
});
