import { cohenKappaFromCounts, type CohenKappa } from '../agreement/cohen-kappa.js';
import type { CalibrationReport, Statistic } from './calibration-report.js';
import { wilsonInterval } from '../stats.js';
import { meetsThresholds, type CalibrationThresholds } from './judge-status.js';
import { rubricLabels, type Rubric } from './rubric.js';

/** One gold item with its human label. */
export interface GoldCase {
  readonly key: string;
  readonly label: string;
  readonly slices: readonly string[];
  readonly input: unknown;
  readonly output: unknown;
}

/** The judge's answer on one gold item. */
export interface JudgeAnswer {
  readonly key: string;
  /** As the judge scorer says. */
  readonly status: 'scored' | 'errored' | 'skipped';
  readonly label: string | null;
  readonly reason: string | null;
}

export interface CalibrationInput {
  readonly metric: string;
  readonly judgeVersion: string;
  readonly goldSet: { readonly id: string; readonly version: number };
  readonly rubric: Rubric;
  readonly gold: readonly GoldCase[];
  readonly answers: readonly JudgeAnswer[];
  readonly thresholds: CalibrationThresholds;
  /** At most this many disagreements are listed (all are counted). */
  readonly maxDisagreements?: number;
}

const MIN_SLICE_ITEMS = 5;

/**
 * Compares a judge with the humans on a gold set: Cohen's kappa (judge vs settled human label) with
 * its 95% interval, percent agreement, the confusion matrix (rows human, columns judge), the
 * true-positive and true-negative rates with the rubric's pass labels as positive, agreement per
 * slice, and the disagreements. Gold items the judge did not label (errored, skipped, or a label
 * outside the rubric) are counted as errored and left out of the agreement. The judge is
 * `calibrated` when kappa ≥ minKappa on at least minItems labelled items.
 * @example computeCalibration({ ...input, thresholds: { minKappa: 0.6, minItems: 100 } }).status
 */
export function computeCalibration(input: CalibrationInput): CalibrationReport {
  const labels = rubricLabels(input.rubric);
  const index = new Map(labels.map((l, i) => [l, i]));
  const answers = new Map(input.answers.map((a) => [a.key, a]));
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const pairs: { gold: GoldCase; judge: string }[] = [];
  const disagreements: CalibrationReport['disagreements'] = [];
  let errored = 0;
  let disagreeing = 0;
  for (const gold of input.gold) {
    const answer = answers.get(gold.key);
    const human = index.get(gold.label);
    const judge = answer?.status === 'scored' && answer.label !== null ? index.get(answer.label) : undefined;
    if (human === undefined || judge === undefined || answer?.label == null) {
      errored++;
      continue;
    }
    matrix[human]![judge]! += 1;
    pairs.push({ gold, judge: answer.label });
    if (human !== judge) {
      disagreeing++;
      if (disagreements.length < (input.maxDisagreements ?? 200)) {
        disagreements.push({ key: gold.key, human: gold.label, judge: answer.label, judgeReason: answer.reason, input: gold.input, output: gold.output, slices: [...gold.slices] });
      }
    }
  }
  const n = pairs.length;
  const kappa = statistic(cohenKappaFromCounts(matrix, 'none'));
  const weightedKappa = input.rubric.ordinal ? statistic(cohenKappaFromCounts(matrix, 'quadratic')) : null;
  const pass = new Set(input.rubric.pass.map((p) => index.get(p)));
  let tp = 0, fn = 0, tn = 0, fp = 0;
  matrix.forEach((row, h) =>
    row.forEach((c, j) => {
      if (pass.has(h)) pass.has(j) ? (tp += c) : (fn += c);
      else pass.has(j) ? (fp += c) : (tn += c);
    }),
  );
  const why: string[] = [];
  if (kappa.value === null) why.push(`kappa is undefined: ${kappa.reason ?? 'no data'}`);
  else if (kappa.value < input.thresholds.minKappa) why.push(`kappa ${kappa.value.toFixed(3)} is below ${input.thresholds.minKappa}`);
  if (n < input.thresholds.minItems) why.push(`${n} gold items labelled by the judge; at least ${input.thresholds.minItems} are needed`);
  return {
    metric: input.metric,
    judgeVersion: input.judgeVersion,
    goldSet: { id: input.goldSet.id, version: input.goldSet.version, items: input.gold.length },
    n,
    errored,
    kappa,
    weightedKappa,
    percentAgreement: n === 0 ? null : (n - disagreeing) / n,
    confusion: { labels, matrix },
    truePositiveRate: tp + fn === 0 ? null : tp / (tp + fn),
    trueNegativeRate: tn + fp === 0 ? null : tn / (tn + fp),
    intervals: { percentAgreement: wilsonInterval(n - disagreeing, n), truePositiveRate: wilsonInterval(tp, tp + fn), trueNegativeRate: wilsonInterval(tn, tn + fp) },
    slices: sliceAgreement(pairs, index, k),
    disagreements,
    thresholds: { ...input.thresholds },
    status: meetsThresholds(kappa.value, n, input.thresholds) ? 'calibrated' : 'uncalibrated',
    why,
  };
}

function sliceAgreement(pairs: readonly { gold: GoldCase; judge: string }[], index: Map<string, number>, k: number): CalibrationReport['slices'] {
  const bySlice = new Map<string, { gold: GoldCase; judge: string }[]>();
  for (const p of pairs) for (const s of p.gold.slices) bySlice.set(s, [...(bySlice.get(s) ?? []), p]);
  return [...bySlice.entries()]
    .filter(([, list]) => list.length >= MIN_SLICE_ITEMS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slice, list]) => {
      const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      for (const p of list) m[index.get(p.gold.label)!]![index.get(p.judge)!]! += 1;
      const agree = list.filter((p) => p.gold.label === p.judge).length;
      return { slice, n: list.length, percentAgreement: agree / list.length, percentAgreementCi95: wilsonInterval(agree, list.length), kappa: cohenKappaFromCounts(m, 'none').value };
    });
}

function statistic(k: CohenKappa): Statistic {
  return k.value === null ? { value: null, ci95: null, reason: k.reason } : { value: k.value, ci95: [k.interval[0], k.interval[1]] };
}
