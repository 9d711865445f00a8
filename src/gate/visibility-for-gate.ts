import type { MetricComparison } from '../core/comparison.js';
import type { GateRule } from '../core/gate-config.js';
import type { SliceCounts } from '../core/gate/evaluate-gate.js';
import { gateVisibility, type GateVisibility, type MeasuredDiscordance, type PlannedTest } from '../core/plan/gate-visibility.js';
import type { RunMetric, RunSummary } from '../core/run.js';

/**
 * The "what this gate can see" section of a gate decision. With a baseline, every test of the
 * comparison is planned at its own n and baseline pass rate, and each metric's discordance is
 * measured on this comparison's own pairs (a real regression adds discordant pairs, so this errs on
 * the side of a larger MDE). Without one, the candidate's counts stand in and ρ is assumed.
 */
export function visibilityForGate(input: {
  readonly rules: readonly GateRule[];
  readonly metrics: readonly { readonly name: string; readonly failureClass?: string | undefined; readonly lifecycle?: string | undefined }[];
  readonly runMetrics: readonly RunMetric[];
  readonly comparisons: readonly MetricComparison[] | null;
  readonly candidate: RunSummary;
  readonly candidateSlices: SliceCounts;
}): GateVisibility {
  const primaries = input.runMetrics.filter((m) => m.primary).map((m) => m.name);
  const discordance = new Map<string, MeasuredDiscordance>();
  let tests: PlannedTest[];
  if (input.comparisons) {
    tests = input.comparisons.map((c) => ({ metric: c.metric, slice: c.slice, n: c.n, baseRate: c.baseline }));
    for (const c of input.comparisons) {
      if (c.slice !== null || c.kind !== 'binary' || c.n === 0 || c.baseline === null) continue;
      discordance.set(c.metric, { discordance: (c.improvedExamples + c.regressedExamples) / c.n, passRate: c.baseline, pairs: c.n, from: `this comparison's ${c.n} pairs` });
    }
  } else {
    tests = [];
    for (const m of input.runMetrics) {
      const s = input.candidate.metrics[m.name];
      tests.push({ metric: m.name, slice: null, n: s?.n ?? 0, baseRate: s?.passRate ?? null });
      for (const [slice, counts] of Object.entries(input.candidateSlices[m.name] ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        tests.push({ metric: m.name, slice, n: counts.n, baseRate: counts.n ? counts.passed / counts.n : null });
      }
    }
  }
  const v = gateVisibility({ rules: input.rules, metrics: input.metrics, tests, discordance, primaries });
  const notes = input.comparisons ? ['discordance measured on this comparison’s own pairs, per metric (slices use their metric’s)'] : ['no baseline: n and pass rates are the candidate’s'];
  const continuous = [...new Set((input.comparisons ?? []).filter((c) => c.kind === 'continuous' && v.rows.some((r) => r.metric === c.metric)).map((c) => c.metric))];
  if (continuous.length) notes.push(`${continuous.join(', ')} ${continuous.length > 1 ? 'are' : 'is'} graded or repeated, not one pass/fail trial: planned as if pass/fail at its mean, a rough guide only`);
  return { ...v, assumptions: [...notes, ...v.assumptions] };
}
