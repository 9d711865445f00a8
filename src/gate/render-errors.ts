import type { MetricComparison } from '../core/comparison.js';
import type { RunErrors } from '../core/error-rate.js';

/** What every report says of errors: each side's counts and top messages, and the imputed pairs. */
export interface ErrorsView {
  readonly baseline: RunErrors | null;
  readonly candidate: RunErrors;
  readonly comparison: { readonly newErrors: number; readonly fixedErrors: number; readonly pValue: number; readonly rose: boolean } | null;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const fmtP = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

/**
 * Plain-text lines on errors and imputation, shared by the terminal, Markdown and JUnit reports:
 * errored examples per side, the error-rate test, the pairs imputed as fails per metric and side
 * (overall comparisons; or, without a baseline, the candidate's errored results per metric), and the
 * most frequent error messages with their counts. Empty when nothing errored on either side.
 * @example errorLines({ baseline: null, candidate, comparison: null }, [], { ok: 3 })
 */
export function errorLines(view: ErrorsView, comparisons: readonly MetricComparison[], erroredByMetric: Readonly<Record<string, number>> = {}): string[] {
  const overall = comparisons.filter((c) => c.slice === null);
  const anyImputed = overall.some((c) => c.imputed.baseline + c.imputed.candidate > 0) || Object.values(erroredByMetric).some((n) => n > 0);
  if (view.candidate.examples === 0 && (view.baseline?.examples ?? 0) === 0 && !anyImputed) return [];
  const side = (name: string, e: RunErrors): string => `${name}: ${e.examples} of ${e.total} examples errored (${pct(e.rate)}; ${e.results} errored result(s)${e.missing ? `, ${e.missing} example(s) without any result` : ''})`;
  const lines = [side('candidate', view.candidate)];
  if (view.baseline) lines.push(side('baseline', view.baseline));
  if (view.comparison) {
    const c = view.comparison;
    lines.push(`error-rate rule: ${c.newErrors} example(s) newly errored, ${c.fixedErrors} no longer; one-sided McNemar p ${fmtP(c.pValue)} → ${c.rose ? 'ROSE' : 'no significant rise'}`);
  }
  const imputed = overall.length
    ? overall.filter((c) => c.imputed.baseline + c.imputed.candidate > 0).map((c) => `${c.metric} ${c.imputed.baseline} / ${c.imputed.candidate}`)
    : Object.entries(erroredByMetric).filter(([, n]) => n > 0).map(([m, n]) => `${m} — / ${n}`);
  lines.push(`counted as fails (pairs imputed, baseline / candidate): ${imputed.join(', ') || 'none'}`);
  for (const [name, e] of [['candidate', view.candidate], ['baseline', view.baseline]] as const) {
    if (!e || e.top.length === 0) continue;
    lines.push(`top ${name} errors: ${e.top.map((t) => `${t.count}× ${t.message}`).join(' · ')}`);
  }
  return lines;
}
