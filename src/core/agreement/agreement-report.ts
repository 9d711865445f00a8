import { cohenKappa, type CohenKappa } from './cohen-kappa.js';
import { fleissKappa, type FleissKappa } from './fleiss-kappa.js';
import { labelIntervals } from './label-intervals.js';
import { pairwiseKappa, type PairKappa } from './pairwise-kappa.js';
import { krippendorffAlpha, type KrippendorffAlpha } from './krippendorff-alpha.js';
import { percentAgreement, type PercentAgreement } from './percent-agreement.js';
import { buildRatingTable, type Rating } from './rating-table.js';
import { undefinedStatistic, type StatisticValue, type UndefinedStatistic } from './statistic-value.js';

export interface AgreementReportOptions {
  /** The labels, ordered worst → best when `ordinal`. */
  readonly categories: readonly string[];
  /** Whether the order of `categories` means something (a 1–5 score) or not (topic tags). */
  readonly ordinal: boolean;
  /** Seed of the bootstrap intervals; default DEFAULT_BOOTSTRAP_SEED. */
  readonly seed?: number;
  /** Bootstrap resamples; default 2,000. */
  readonly bootstrapIterations?: number;
}

/** Agreement on one label. */
export interface LabelAgreement {
  readonly category: string;
  /** All ratings with this label, on any item. */
  readonly nRatings: number;
  /** Specific agreement (see percentAgreement). */
  readonly specificAgreement: StatisticValue;
  /** Fleiss' kappa of this label against the rest. */
  readonly kappa: StatisticValue;
  /** 95% percentile-bootstrap intervals over items (see labelIntervals); null where undefined. */
  readonly specificAgreementInterval: readonly [number, number] | null;
  readonly kappaInterval: readonly [number, number] | null;
}

/** An item on which the raters gave different labels, for adjudication. */
export interface Disagreement {
  readonly item: string;
  /** Each rater's label, in the order the raters first appear in the ratings. */
  readonly labels: readonly { readonly rater: string; readonly label: string }[];
}

/** Everything a review queue shows about how far its raters agree. JSON-serialisable as it is. */
export interface AgreementReport {
  readonly nItems: number;
  readonly nRatings: number;
  /** Rater ids, in the order they first appear. */
  readonly raters: readonly string[];
  /** Items with two or more ratings: the ones agreement is measured on. */
  readonly nPairableItems: number;
  readonly percentAgreement: PercentAgreement;
  /** Unweighted Cohen's kappa; defined only with exactly two raters. */
  readonly cohenKappa: CohenKappa | UndefinedStatistic;
  /** Quadratic-weighted Cohen's kappa; defined only with exactly two raters and ordinal categories. */
  readonly weightedCohenKappa: CohenKappa | UndefinedStatistic;
  readonly fleissKappa: FleissKappa | UndefinedStatistic;
  /** Cohen's kappa (unweighted, linear, quadratic) for every pair of raters, with intervals. */
  readonly pairwise: readonly PairKappa[];
  /** Ordinal metric when `ordinal`, else nominal. */
  readonly krippendorffAlpha: KrippendorffAlpha;
  readonly perLabel: readonly LabelAgreement[];
  /** Items with two or more ratings that are not all the same label, in item order. */
  readonly disagreements: readonly Disagreement[];
}

/**
 * The agreement statistics of a review queue. Throws EvalOpsError('input') for a label outside
 * `categories` or a rater who rated an item twice (see buildRatingTable). Undefined statistics are
 * `{ value: null, reason }`: e.g. Cohen's kappa with three raters, any kappa when every rating is
 * the same label (percent agreement is then 1), anything at all without an item rated twice.
 * @example
 * agreementReport(
 *   [{ item: 'q1', rater: 'ann', label: 'good' }, { item: 'q1', rater: 'bo', label: 'bad' }],
 *   { categories: ['bad', 'ok', 'good'], ordinal: true },
 * ).disagreements // [{ item: 'q1', labels: [{ rater: 'ann', label: 'good' }, { rater: 'bo', label: 'bad' }] }]
 */
export function agreementReport(ratings: readonly Rating[], options: AgreementReportOptions): AgreementReport {
  const table = buildRatingTable(ratings, options.categories);
  const bootstrap = {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.bootstrapIterations === undefined ? {} : { iterations: options.bootstrapIterations }),
  };
  const nRaters = table.raters.length;
  const twoRaters = nRaters === 2;
  const notTwo = undefinedStatistic(`Cohen's kappa compares exactly two raters; this queue has ${nRaters}`);
  const percent = percentAgreement(table, bootstrap);
  const fleiss = nRaters >= 2 ? fleissKappa(table, bootstrap) : undefinedStatistic(`fewer than two raters (${nRaters})`);

  const perCategoryKappa = 'perCategory' in fleiss ? fleiss.perCategory : null;
  const intervals = labelIntervals(table, bootstrap);
  const perLabel = table.categories.map(
    (category, j): LabelAgreement => ({
      category,
      nRatings: table.counts.reduce((s, row) => s + (row[j] as number), 0),
      specificAgreement: pick(percent.perCategory[j] as StatisticValue),
      kappa: pick(perCategoryKappa === null ? (fleiss as UndefinedStatistic) : (perCategoryKappa[j] as StatisticValue)),
      specificAgreementInterval: (percent.perCategory[j] as StatisticValue).value === null ? null : (intervals[j]?.specificAgreement.interval ?? null),
      kappaInterval: perCategoryKappa === null || (perCategoryKappa[j] as StatisticValue).value === null ? null : (intervals[j]?.kappa.interval ?? null),
    }),
  );

  return {
    nItems: table.items.length,
    nRatings: table.nRatings,
    raters: table.raters,
    nPairableItems: percent.nItems,
    percentAgreement: percent,
    cohenKappa: twoRaters ? cohenKappa(table, { weights: 'none' }) : notTwo,
    weightedCohenKappa: !options.ordinal
      ? undefinedStatistic('the categories are not ordinal, so no weighted kappa')
      : twoRaters
        ? cohenKappa(table, { weights: 'quadratic' })
        : notTwo,
    fleissKappa: fleiss,
    pairwise: pairwiseKappa(table, options.ordinal),
    krippendorffAlpha: krippendorffAlpha(table, { ...bootstrap, metric: options.ordinal ? 'ordinal' : 'nominal' }),
    perLabel,
    disagreements: disagreements(table.items, table.raters, table.categories, table.labels),
  };
}

function pick(s: StatisticValue): StatisticValue {
  return s.value === null ? undefinedStatistic(s.reason) : { value: s.value, reason: null };
}

function disagreements(
  items: readonly string[],
  raters: readonly string[],
  categories: readonly string[],
  labels: readonly (readonly (number | null)[])[],
): Disagreement[] {
  const out: Disagreement[] = [];
  labels.forEach((row, i) => {
    const given = row.flatMap((l, r) => (l === null ? [] : [{ rater: raters[r] as string, label: categories[l] as string }]));
    if (given.length >= 2 && given.some((g) => g.label !== given[0]?.label)) out.push({ item: items[i] as string, labels: given });
  });
  return out;
}
