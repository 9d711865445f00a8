import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (everything, SQLite only) and `pg` (the store contract suite on PostgreSQL,
 * which needs EVALOPS_TEST_PG_URL; .ci/run sets it).
 *
 * `pg` files run one at a time and isolated: they share one database, and Kysely's migrator looks for
 * its table across every schema, which fails while another file drops its schema (measured: with
 * files in parallel, 1 to 3 of 36 failed per run that way or on lock-timing tests).
 *
 * Workers: most test files wait on servers, CLI processes and Chromium rather than compute, so they
 * run several at a time even on two cores (vitest's default would be one worker there: cores − 1).
 * EVALOPS_TEST_WORKERS overrides it. Every test waits on events or polls with generous deadlines (a
 * test may take 120 s, a hook 180 s: deadlines for a hung test, not speed budgets), so a
 * busy machine makes the suite slower, never red. `expect.poll` gets the same kind of deadline (60 s).
 */
/** expect.poll waits 1 s by default: far too short on a busy machine. A generous deadline, a short interval. */
const POLL = { timeout: 60_000, interval: 100 };

const workers = Number(process.env['EVALOPS_TEST_WORKERS'] ?? 0) || Math.max(3, availableParallelism());

export default defineConfig({
  test: {
    maxWorkers: workers,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/**/*.pg.test.ts', 'node_modules/**'],
          // Test files of a worker share its module cache instead of importing their module graph
          // afresh (about 3.5 s of import per file): the project took 6.6 min instead of about 14.
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          expect: { poll: POLL },
        },
      },
      {
        test: {
          name: 'pg',
          include: ['src/**/*.pg.test.ts', 'test/**/*.pg.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          expect: { poll: POLL },
          fileParallelism: false,
        },
      },
    ],
  },
});
