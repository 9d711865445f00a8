/**
 * Which paired examples of a comparison are worst for the candidate, for the decision page's side-by-
 * side transcripts: first those that lost the most metrics (passed in the baseline, failed or errored
 * in the candidate), then the lowest candidate mean value. A candidate trial whose target failed
 * (no scores) counts as a 0 on every metric — missing never helps a candidate. Pure.
 */

export interface PairScoreCell {
  readonly exampleId: string;
  readonly trial: number;
  readonly metric: string;
  readonly status: string;
  readonly value: number | null;
  readonly pass: boolean | null;
}

export interface RankedPair {
  readonly exampleId: string;
  readonly trial: number;
  /** Metrics that passed in the baseline and fail (or errored) in the candidate. */
  readonly lost: readonly string[];
  /** The candidate's mean value over the metrics (errored or missing as 0), or null when nothing applied. */
  readonly candidateMean: number | null;
  readonly baselineMean: number | null;
}

/**
 * @example worstPairs(baselineRows, candidateRows, [{ exampleId: 'c7', trial: 0 }], ['resolved'])[0]
 */
export function worstPairs(
  baseline: readonly PairScoreCell[],
  candidate: readonly PairScoreCell[],
  candidateErrors: readonly { readonly exampleId: string; readonly trial: number }[],
  metrics: readonly string[],
): RankedPair[] {
  const key = (exampleId: string, trial: number) => `${trial}\u0000${exampleId}`;
  const b = byPair(baseline, key);
  const c = byPair(candidate, key);
  const errored = new Set(candidateErrors.map((e) => key(e.exampleId, e.trial)));
  const pairs = new Map<string, { exampleId: string; trial: number }>();
  for (const r of [...baseline, ...candidate]) pairs.set(key(r.exampleId, r.trial), { exampleId: r.exampleId, trial: r.trial });
  for (const e of candidateErrors) pairs.set(key(e.exampleId, e.trial), { exampleId: e.exampleId, trial: e.trial });
  const out: RankedPair[] = [];
  for (const [k, p] of pairs) {
    const bm = b.get(k) ?? new Map<string, PairScoreCell>();
    const cm = c.get(k) ?? new Map<string, PairScoreCell>();
    if (!b.has(k)) continue; // only paired examples: the baseline must have a result to compare with
    const targetFailed = errored.has(k);
    const lost = metrics.filter((m) => bm.get(m)?.pass === true && (targetFailed || cm.get(m)?.status === 'errored' || cm.get(m)?.pass === false));
    out.push({ exampleId: p.exampleId, trial: p.trial, lost, candidateMean: targetFailed ? 0 : mean(cm, metrics), baselineMean: mean(bm, metrics) });
  }
  return out.sort(
    (x, y) =>
      y.lost.length - x.lost.length ||
      (x.candidateMean ?? 1) - (y.candidateMean ?? 1) ||
      (x.exampleId < y.exampleId ? -1 : x.exampleId > y.exampleId ? 1 : x.trial - y.trial),
  );
}

function byPair(rows: readonly PairScoreCell[], key: (e: string, t: number) => string): Map<string, Map<string, PairScoreCell>> {
  const out = new Map<string, Map<string, PairScoreCell>>();
  for (const r of rows) {
    const k = key(r.exampleId, r.trial);
    (out.get(k) ?? out.set(k, new Map()).get(k)!).set(r.metric, r);
  }
  return out;
}

/** Mean over the metrics that applied (scored, or errored as 0); null when none did. */
function mean(cells: ReadonlyMap<string, PairScoreCell>, metrics: readonly string[]): number | null {
  let sum = 0;
  let n = 0;
  for (const m of metrics) {
    const cell = cells.get(m);
    if (cell === undefined || cell.status === 'skipped') continue;
    sum += cell.status === 'errored' ? 0 : (cell.value ?? 0);
    n++;
  }
  return n === 0 ? null : sum / n;
}
