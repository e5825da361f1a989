import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure code, next to the source) and `db` (integration suites under test/ that drive the
// HTTP API against a real database). `npm test` runs both on embedded PGlite; CI runs `db` again on PostgreSQL
// by setting PLINTH_TEST_DATABASE_URL.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'sandbox/**/*.test.ts'],
          setupFiles: ['test/helpers/fast-check-seed.ts'],
          // Property suites run hundreds of cases: generous, as CI machines are shared and slow at times.
          testTimeout: 60_000,
          // The simulators' suites start a Plinth of their own before their tests.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['test/**/*.test.ts'],
          setupFiles: ['test/helpers/fast-check-seed.ts'],
          // Suites that start `plinth` as a process run the compiled CLI: the build is brought up to date once.
          globalSetup: ['test/helpers/build.ts'],
          // Each suite starts its own app and database, and nothing in them lives at module level: the files of a
          // worker share one module graph instead of evaluating every SDK and schema again per file (that took
          // 400 of the suite's CPU-seconds; the suite on PGlite fell from about 18 to 8.5 minutes).
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
