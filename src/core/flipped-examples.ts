/** A score as the comparison reads it (a store's score row has this shape). */
export interface OutcomeRow {
  readonly exampleId: string;
  readonly metric: string;
  readonly status: 'scored' | 'errored' | 'skipped';
  readonly pass: boolean | null;
}

/** One example whose pass/fail outcome changed between a baseline run and a candidate run. */
export interface FlippedExample {
  readonly exampleId: string;
  readonly slices: readonly string[];
  /** Metrics that passed in the baseline and fail in the candidate. */
  readonly passToFail: readonly string[];
  /** Metrics that failed in the baseline and pass in the candidate. */
  readonly failToPass: readonly string[];
}

type Outcome = 'pass' | 'fail';

/**
 * The examples that flipped between two runs, regressions first: every example with a metric gone
 * from pass to fail (most such metrics first), then the ones that only improved; by example id within
 * each group. An example's outcome on a metric is the majority of its scored pass/fail trials (a tie,
 * or no pass/fail score, is no outcome and flips nothing), so with one trial it is simply that trial.
 * @example flippedExamples(baselineRows, candidateRows, slices, { metric: 'cites_policy' })
 */
export function flippedExamples(
  baseline: readonly OutcomeRow[],
  candidate: readonly OutcomeRow[],
  slices: ReadonlyMap<string, readonly string[]>,
  options: { readonly metric?: string; readonly slice?: string } = {},
): FlippedExample[] {
  const before = outcomes(baseline, options.metric);
  const after = outcomes(candidate, options.metric);
  const out: FlippedExample[] = [];
  for (const [exampleId, byMetric] of before) {
    const exampleSlices = slices.get(exampleId) ?? [];
    if (options.slice !== undefined && !exampleSlices.includes(options.slice)) continue;
    const now = after.get(exampleId);
    if (!now) continue;
    const passToFail: string[] = [];
    const failToPass: string[] = [];
    for (const [metric, was] of byMetric) {
      const is = now.get(metric);
      if (was === 'pass' && is === 'fail') passToFail.push(metric);
      else if (was === 'fail' && is === 'pass') failToPass.push(metric);
    }
    if (passToFail.length || failToPass.length) out.push({ exampleId, slices: exampleSlices, passToFail: passToFail.sort(), failToPass: failToPass.sort() });
  }
  return out.sort((a, b) => b.passToFail.length - a.passToFail.length || (a.exampleId < b.exampleId ? -1 : a.exampleId > b.exampleId ? 1 : 0));
}

/** Per example, per metric: the majority outcome of the scored pass/fail trials. */
function outcomes(rows: readonly OutcomeRow[], metric: string | undefined): Map<string, Map<string, Outcome>> {
  const tally = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.status !== 'scored' || r.pass === null || (metric !== undefined && r.metric !== metric)) continue;
    let byMetric = tally.get(r.exampleId);
    if (!byMetric) tally.set(r.exampleId, (byMetric = new Map()));
    byMetric.set(r.metric, (byMetric.get(r.metric) ?? 0) + (r.pass ? 1 : -1));
  }
  const out = new Map<string, Map<string, Outcome>>();
  for (const [exampleId, byMetric] of tally) {
    const decided = new Map<string, Outcome>();
    for (const [m, score] of byMetric) if (score !== 0) decided.set(m, score > 0 ? 'pass' : 'fail');
    out.set(exampleId, decided);
  }
  return out;
}
