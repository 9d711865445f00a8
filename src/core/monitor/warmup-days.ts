import { z } from 'zod';

/**
 * How a change monitor arms (issue 15): it learns its reference pass rate from the first traces of
 * its lookback and starts detecting once it has pooled `warmup` traces OR once those traces span
 * `warmupDays` days, whichever comes first. Seven days is a whole week, so weekdays average out, and
 * it leaves the other half of the default 14-day lookback for detection; at 500 traces/day and below
 * the days rule arms first, above 1,000/day the traces rule does. A detector on its own (no clock, as
 * in a benchmark) uses only `warmup`; the monitor evaluation (evaluate-monitor.ts) applies both.
 */
export const DEFAULT_WARMUP_DAYS = 7;

export const warmupDaysSchema = z.number().gt(0).max(90).default(DEFAULT_WARMUP_DAYS);
