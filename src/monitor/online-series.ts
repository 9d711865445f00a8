import { z } from 'zod';
import type { SeriesPoint } from '../store/online-score-repository.js';
import type { Store } from '../store/store.js';

export const SeriesSignalSchema = z.enum(['pass_rate', 'mean_score', 'latency_p50', 'latency_p95', 'error_rate', 'cost_per_success', 'negative_feedback_rate']);
export type SeriesSignal = z.infer<typeof SeriesSignalSchema>;

export interface SeriesCell {
  readonly startMs: number;
  readonly cohort: string;
  /** Sampled traces in the cell (with a verdict, for pass_rate / mean_score / cost_per_success). */
  readonly n: number;
  readonly value: number | null;
}

/**
 * A rule's online time series per cohort and time bucket, over sampled traces only (flag-picked
 * traces would bias it): a metric's pass rate or mean score, latency p50/p95, error rate, cost per
 * successful trace (trace cost ÷ traces passing the metric), negative-feedback rate.
 * Cohorts: `release`, `variant`, any cohort attribute of the rule, or `all`.
 */
export async function onlineSeries(
  store: Store,
  ruleId: string,
  options: { metric?: string; signal: SeriesSignal; by: string; fromMs: number; toMs: number; bucketMs: number },
): Promise<SeriesCell[]> {
  const points = await store.onlineScores.seriesPoints(ruleId, options.metric, options.fromMs, options.toMs);
  const negative = options.signal === 'negative_feedback_rate' ? await negativeFeedback(store, points) : new Set<string>();
  const releaseName = options.by === 'release' ? await releaseNames(store, ruleId) : new Map<string, string>();
  const cells = new Map<string, SeriesPoint[]>();
  for (const p of points) {
    const cohort = options.by === 'all' ? 'all' : options.by === 'release' ? (p.release === null ? '(none)' : (releaseName.get(p.release) ?? p.release)) : (p.cohort[options.by] ?? '(none)');
    const start = Math.floor(p.traceStartMs / options.bucketMs) * options.bucketMs;
    const key = `${start}\u0000${cohort}`;
    const list = cells.get(key) ?? [];
    list.push(p);
    cells.set(key, list);
  }
  const out: SeriesCell[] = [];
  for (const [key, list] of cells) {
    const [start, cohort] = key.split('\u0000') as [string, string];
    out.push({ startMs: Number(start), cohort, ...cellValue(options.signal, list, negative) });
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.cohort.localeCompare(b.cohort));
}

/**
 * Each string spans may carry for a release of the rule's project (its names, its variant) → the
 * release's name (its first; its variant when it has none), so a release stamped two ways is one
 * cohort. A name no release has stays as stamped.
 */
async function releaseNames(store: Store, ruleId: string): Promise<Map<string, string>> {
  const rule = await store.onlineRules.get(ruleId);
  const map = new Map<string, string>();
  for (const r of await store.releases.list(rule.projectId, { limit: 10_000 })) {
    const name = r.names[0] ?? r.targetVariant;
    for (const alias of [r.targetVariant, ...r.names]) map.set(alias, name);
  }
  return map;
}

function cellValue(signal: SeriesSignal, list: readonly SeriesPoint[], negative: ReadonlySet<string>): { n: number; value: number | null } {
  switch (signal) {
    case 'pass_rate': {
      const judged = list.filter((p) => p.pass !== null);
      return { n: judged.length, value: judged.length ? judged.filter((p) => p.pass).length / judged.length : null };
    }
    case 'mean_score': {
      const valued = list.filter((p) => p.value !== null);
      return { n: valued.length, value: valued.length ? valued.reduce((s, p) => s + (p.value as number), 0) / valued.length : null };
    }
    case 'latency_p50':
      return { n: list.length, value: quantile(list.map((p) => p.latencyMs), 0.5) };
    case 'latency_p95':
      return { n: list.length, value: quantile(list.map((p) => p.latencyMs), 0.95) };
    case 'error_rate':
      return { n: list.length, value: list.length ? list.filter((p) => p.error).length / list.length : null };
    case 'cost_per_success': {
      const passed = list.filter((p) => p.pass === true).length;
      const cost = list.reduce((s, p) => s + (p.costUsd ?? 0), 0);
      return { n: list.length, value: passed > 0 ? cost / passed : null };
    }
    case 'negative_feedback_rate':
      return { n: list.length, value: list.length ? list.filter((p) => negative.has(p.traceId)).length / list.length : null };
  }
}

/** Nearest-rank quantile (the value below which a share q of the values lie). */
function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

async function negativeFeedback(store: Store, points: readonly SeriesPoint[]): Promise<Set<string>> {
  const out = new Set<string>();
  const ids = points.map((p) => p.traceId);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await store.db.selectFrom('feedback').select(['trace_id', 'kind', 'value']).where('trace_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) if ((r.kind === 'thumbs' && Number(r.value) === 0) || (r.kind === 'signal' && r.value !== null && Number(r.value) < 0)) out.add(r.trace_id);
  }
  return out;
}
