import { inRuleSlices } from '../gate/rule-slices.js';
import { z } from 'zod';
import { MIN_EXAMPLES } from '../compare-metric.js';
import type { GateRule } from '../gate-config.js';
import { ruleText } from '../gate/rule-text.js';
import { firstStepWeights } from '../stats/adjust-comparisons.js';
import { examplesNeeded, minimumDetectableEffect, TARGET_POWER, testLevel } from './detectable-effect.js';
import { rhoFromDiscordance, type CriticalCounts } from './mcnemar-power.js';

/**
 * "What this gate can see": for every `noRegression` rule, on every metric it covers and (with
 * `perSlice`) every slice, the smallest drop the gate catches 80% of the time — the minimum
 * detectable effect (MDE) — under the gate's own correction, at this n, baseline pass rate and
 * discordance; and whether the rule can fire at all. Pure: the caller measures and loads.
 */

/** Pass rate assumed for a test whose baseline rate is unknown (no earlier run). */
export const ASSUMED_BASE_RATE = 0.8;
/** ρ assumed when no two earlier runs can be paired: independent outcomes, the least favourable case. */
export const ASSUMED_RHO = 0;

export const VisibilityRowSchema = z.object({
  rule: z.number().int().describe('index of the rule in gate.rules'),
  ruleText: z.string(),
  metric: z.string(),
  slice: z.string().nullable().describe('null: the whole dataset'),
  n: z.number().int().describe('paired examples the test has'),
  baseRate: z.number().describe('baseline pass rate used (measured or assumed)'),
  baseRateSource: z.enum(['measured', 'assumed']),
  discordance: z.number().describe('share of discordant pairs expected with no change: 2p(1−p)(1−ρ)'),
  rho: z.number().describe('correlation of the two runs on one example'),
  discordanceSource: z.enum(['measured', 'assumed']),
  weight: z.number().describe("the test's share of α at the first step of the gate's correction"),
  level: z.number().describe('one-sided level the test is planned at: min(0.05·weight, 0.025)'),
  mde: z.number().nullable().describe('minimum detectable drop at 80% power (0..1); null: no drop can be detected'),
  canFire: z.boolean(),
  reason: z.string().nullable().describe('why the rule cannot fire here'),
  examplesNeeded: z.number().int().nullable().optional().describe('paired examples this test needs to detect the chosen drop at 80% power'),
});
export type VisibilityRow = z.infer<typeof VisibilityRowSchema>;

export const GateVisibilitySchema = z.object({
  power: z.number().describe('the power the MDE is computed for (0.8)'),
  correction: z.enum(['holm', 'graphical']),
  drop: z.number().nullable().describe('the drop `examplesNeeded` is computed for'),
  assumptions: z.array(z.string()),
  rows: z.array(VisibilityRowSchema),
});
export type GateVisibility = z.infer<typeof GateVisibilitySchema>;

/** One test of the comparison family: a metric overall (slice null) or on a slice. */
export interface PlannedTest {
  readonly metric: string;
  readonly slice: string | null;
  readonly n: number;
  /** The baseline's pass rate, when known. */
  readonly baseRate: number | null;
}

/** Measured discordance of a metric between paired runs with (nearly) no change. */
export interface MeasuredDiscordance {
  readonly discordance: number;
  /** Pass rate the discordance was measured at (to turn it into ρ). */
  readonly passRate: number;
  readonly pairs: number;
  /** Where it was measured, for the report. */
  readonly from: string;
}

export interface VisibilityInput {
  readonly rules: readonly GateRule[];
  /** Every metric the comparison covers, with its failure class and lifecycle (retired ones do not gate). */
  readonly metrics: readonly { readonly name: string; readonly failureClass?: string | undefined; readonly lifecycle?: string | undefined }[];
  /** Every test of the family (all metrics × {overall, each slice}), as the correction sees it. */
  readonly tests: readonly PlannedTest[];
  readonly discordance: ReadonlyMap<string, MeasuredDiscordance>;
  readonly primaries: readonly string[];
  /** When given, each row also says how many examples would detect this drop. */
  readonly drop?: number;
}

/**
 * The planner's view of a gate policy.
 * @example gateVisibility({ rules, metrics, tests, discordance: new Map(), primaries: [] }).rows.filter((r) => !r.canFire)
 */
export function gateVisibility(input: VisibilityInput): GateVisibility {
  const family = input.tests.map((t) => ({ metric: t.metric, slice: t.slice, pValue: t.n > 0 ? 0 : null }));
  const weights = firstStepWeights(family, { primaries: input.primaries });
  const graphical = input.primaries.length > 0 && input.tests.some((t) => t.slice === null && t.n > 0 && input.primaries.includes(t.metric));
  const assumptions = new Set<string>();
  const rows: VisibilityRow[] = [];
  // Critical counts per level, shared by every row's search at that level (the same figures, computed once).
  const levelCaches = new Map<number, CriticalCounts>();
  input.rules.forEach((rule, index) => {
    if (!rule.noRegression) return;
    const text = ruleText(rule);
    const targets = input.metrics.filter((m) => m.lifecycle !== 'retired' && (rule.metric !== undefined ? m.name === rule.metric : m.failureClass === rule.failureClass));
    for (const metric of targets) {
      input.tests.forEach((test, i) => {
        if (test.metric !== metric.name || (test.slice !== null && !inRuleSlices(rule, test.slice))) return;
        const measured = input.discordance.get(metric.name);
        const baseRate = test.baseRate ?? ASSUMED_BASE_RATE;
        if (test.baseRate === null) assumptions.add(`baseline pass rate ${pct(ASSUMED_BASE_RATE)} where no earlier run gives one`);
        let rho = ASSUMED_RHO;
        if (measured) rho = rhoFromDiscordance(measured.discordance, measured.passRate);
        else assumptions.add(`ρ = ${ASSUMED_RHO} (independent outcomes, the least favourable case) for ${metric.name}: no earlier paired runs to measure its discordance from`);
        const weight = weights[i] as number;
        const design = { n: test.n, baseRate, rho, weight };
        const mde = minimumDetectableEffect(design, levelCaches);
        const reason = test.n < MIN_EXAMPLES ? `n = ${test.n} is below the minimum of ${MIN_EXAMPLES} paired examples: always inconclusive` : mde === null ? `no drop, not even to 0%, is caught ${pct(TARGET_POWER)} of the time at n = ${test.n}` : null;
        rows.push({
          rule: index,
          ruleText: text,
          metric: metric.name,
          slice: test.slice,
          n: test.n,
          baseRate,
          baseRateSource: test.baseRate === null ? 'assumed' : 'measured',
          discordance: 2 * baseRate * (1 - baseRate) * (1 - rho),
          rho,
          discordanceSource: measured ? 'measured' : 'assumed',
          weight,
          level: testLevel(weight),
          mde,
          canFire: mde !== null,
          reason,
          ...(input.drop !== undefined ? { examplesNeeded: examplesNeeded({ baseRate, rho, weight }, input.drop) } : {}),
        });
      });
    }
  });
  return { power: TARGET_POWER, correction: graphical ? 'graphical' : 'holm', drop: input.drop ?? null, assumptions: [...assumptions], rows };
}

/** Warnings for the rows that cannot fire, with the numbers. */
export function visibilityWarnings(v: GateVisibility): string[] {
  return v.rows
    .filter((r) => !r.canFire)
    .map((r) => `rule ${r.rule + 1} (${r.ruleText}) cannot fire for ${r.metric}${r.slice ? ` in slice ${r.slice}` : ''}: ${r.reason} (n = ${r.n}, baseline ${pct(r.baseRate)}, MDE at ${pct(v.power)} power ${r.mde === null ? '> 100 pts' : pts(r.mde)})`);
}

const pct = (x: number): string => `${(x * 100).toFixed(x * 100 === Math.round(x * 100) ? 0 : 1)}%`;
const pts = (x: number): string => `${(x * 100).toFixed(1)} pts`;
