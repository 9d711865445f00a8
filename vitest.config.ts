import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (everything, SQLite only) and `pg` (the store contract suite on PostgreSQL,
 * which needs EVALOPS_TEST_PG_URL; .ci/run sets it).
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
