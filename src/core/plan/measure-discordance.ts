import type { MeasuredDiscordance } from './gate-visibility.js';

/** What the measurement needs of a stored score: its example, metric, trial and outcome. */
export interface ScoredOutcome {
  readonly exampleId: string;
  readonly metric: string;
  readonly trial: number;
  readonly status: string;
  readonly pass: boolean | null;
}

/** Fewer pairs than this measure nothing worth using; the assumption is used instead. */
export const MIN_DISCORDANCE_PAIRS = 10;

/**
 * Per metric, the share of discordant pairs (one run passes, the other fails) between consecutive
 * runs of one dataset, pooled over the consecutive pairs given (each run's first trial, scored
 * results only), with the mean pass rate they were measured at. A change between two runs adds
 * discordant pairs, so runs that differ overstate the noise: the planner errs on the side of a larger
 * MDE, never a smaller one.
 * @param runs newest first; each its id and its score rows
 * @example measureDiscordance([{ id: 'r2', rows }, { id: 'r1', rows: older }]).get('cites_policy')
 */
export function measureDiscordance(runs: readonly { readonly id: string; readonly rows: readonly ScoredOutcome[] }[]): Map<string, MeasuredDiscordance> {
  const outcomes = runs.map((r) => {
    const byMetric = new Map<string, Map<string, boolean>>();
    for (const row of r.rows) {
      if (row.trial !== 0 || row.status !== 'scored' || row.pass === null) continue;
      let m = byMetric.get(row.metric);
      if (!m) byMetric.set(row.metric, (m = new Map()));
      m.set(row.exampleId, row.pass);
    }
    return byMetric;
  });
  const totals = new Map<string, { pairs: number; discordant: number; passes: number; runs: Set<string> }>();
  for (let i = 0; i + 1 < runs.length; i++) {
    const newer = outcomes[i] as Map<string, Map<string, boolean>>;
    const older = outcomes[i + 1] as Map<string, Map<string, boolean>>;
    for (const [metric, a] of newer) {
      const b = older.get(metric);
      if (!b) continue;
      const t = totals.get(metric) ?? { pairs: 0, discordant: 0, passes: 0, runs: new Set<string>() };
      for (const [exampleId, passA] of a) {
        const passB = b.get(exampleId);
        if (passB === undefined) continue;
        t.pairs++;
        if (passA !== passB) t.discordant++;
        t.passes += Number(passA) + Number(passB);
      }
      t.runs.add((runs[i] as { id: string }).id).add((runs[i + 1] as { id: string }).id);
      totals.set(metric, t);
    }
  }
  const out = new Map<string, MeasuredDiscordance>();
  for (const [metric, t] of totals) {
    if (t.pairs < MIN_DISCORDANCE_PAIRS) continue;
    out.set(metric, { discordance: t.discordant / t.pairs, passRate: t.passes / (2 * t.pairs), pairs: t.pairs, from: `${t.pairs} pairs of runs ${[...t.runs].join(', ')}` });
  }
  return out;
}
