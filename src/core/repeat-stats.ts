import { z } from 'zod';

/** Examples whose trials disagree, listed in a run summary (the count is always complete). */
export const FLAKY_EXAMPLES_LISTED = 50;

/**
 * What `--repeat k` says about one metric: per example, the share of its trials that passed; the
 * examples whose trials disagree (flaky); `pass^k`, the share of examples where all k trials pass; and
 * `pass@k`, the share where at least one passes.
 */
export const RepeatStatsSchema = z.object({
  /** Trials per example (the run's repeat). */
  k: z.number().int(),
  /** Examples with at least one scored or errored trial: the denominator of passAllRate and passAnyRate. */
  examples: z.number().int(),
  /** Examples where all k trials were scored and passed. */
  passAll: z.number().int(),
  /** Examples where at least one trial passed. */
  passAny: z.number().int(),
  /** pass^k = passAll / examples (null without examples). */
  passAllRate: z.number().nullable(),
  /** pass@k = passAny / examples (null without examples). */
  passAnyRate: z.number().nullable(),
  /** Examples with both passing and failing trials. */
  flaky: z.number().int(),
  /** The first flaky examples by id, with their per-trial pass rate. */
  flakyExamples: z.array(z.object({ exampleId: z.string(), passRate: z.number(), passed: z.number().int(), scored: z.number().int() })),
});
export type RepeatStats = z.infer<typeof RepeatStatsSchema>;

export interface TrialScore {
  readonly exampleId: string;
  readonly metric: string;
  /** Only `scored` trials count as passed or failed; errored or skipped trials are not passes. */
  readonly status: string;
  readonly pass: boolean | null;
}

/** Per-example tallies of one metric: trials scored and passed, and trials errored (target or scorer error). */
export interface ExampleTrials {
  readonly scored: number;
  readonly passed: number;
  readonly errored?: number;
}

/**
 * Per metric, the repeat statistics of a run with k trials per example. A trial that errored or was
 * skipped is not a pass: an example with a missing trial never counts towards pass^k (a candidate
 * cannot look more reliable by failing to answer), but it still counts for pass@k if another trial
 * passed. An example whose every trial errored (the target failed each time, e.g. a conversation that
 * always breaks) counts as an example that passed neither all nor any trial — leaving it out would
 * make a candidate that crashes on its hardest examples look more reliable. Only examples whose
 * trials were all skipped (the metric does not apply) are left out. Give target-errored trials as
 * rows with status `errored` (summariseRun does, for every metric).
 * @example repeatStats([{ exampleId: 'a', metric: 'm', status: 'scored', pass: true }, { exampleId: 'a', metric: 'm', status: 'scored', pass: false }], 2).get('m')?.flaky // 1
 */
export function repeatStats(rows: Iterable<TrialScore>, k: number): Map<string, RepeatStats> {
  const byMetric = new Map<string, Map<string, { scored: number; passed: number; errored: number }>>();
  for (const r of rows) {
    let examples = byMetric.get(r.metric);
    if (!examples) byMetric.set(r.metric, (examples = new Map()));
    const e = examples.get(r.exampleId) ?? { scored: 0, passed: 0, errored: 0 };
    if (r.status === 'scored') {
      e.scored++;
      if (r.pass) e.passed++;
    } else if (r.status === 'errored') e.errored++;
    examples.set(r.exampleId, e);
  }
  const out = new Map<string, RepeatStats>();
  for (const [metric, examples] of byMetric) out.set(metric, summariseTrials(examples, k));
  return out;
}

/** The repeat statistics of one metric from its per-example tallies. */
export function summariseTrials(examples: ReadonlyMap<string, ExampleTrials>, k: number): RepeatStats {
  let n = 0;
  let passAll = 0;
  let passAny = 0;
  const flaky: RepeatStats['flakyExamples'] = [];
  let flakyCount = 0;
  for (const [exampleId, e] of examples) {
    if (e.scored === 0 && (e.errored ?? 0) === 0) continue;
    n++;
    if (e.passed >= k && e.passed === e.scored) passAll++;
    if (e.passed > 0) passAny++;
    if (e.passed > 0 && e.passed < e.scored) {
      flakyCount++;
      flaky.push({ exampleId, passRate: e.passed / e.scored, passed: e.passed, scored: e.scored });
    }
  }
  flaky.sort((a, b) => (a.exampleId < b.exampleId ? -1 : a.exampleId > b.exampleId ? 1 : 0));
  return {
    k,
    examples: n,
    passAll,
    passAny,
    passAllRate: n === 0 ? null : passAll / n,
    passAnyRate: n === 0 ? null : passAny / n,
    flaky: flakyCount,
    flakyExamples: flaky.slice(0, FLAKY_EXAMPLES_LISTED),
  };
}
