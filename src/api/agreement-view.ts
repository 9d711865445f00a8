import { z } from 'zod';
import type { AgreementReport } from '../core/agreement/agreement-report.js';

/**
 * The agreement report as the API answers it: each statistic flattened to a value, a 95% interval
 * (asymptotic for Cohen's kappa, percentile bootstrap over items for Fleiss' kappa and
 * Krippendorff's alpha) and, when undefined, the reason.
 */
export const AgreementStatSchema = z.object({
  value: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  reason: z.string().nullable(),
});
export type AgreementStat = z.infer<typeof AgreementStatSchema>;

export const AgreementViewSchema = z.object({
  nItems: z.number().int(),
  nRatings: z.number().int(),
  raters: z.array(z.string()),
  nPairableItems: z.number().int(),
  percentAgreement: AgreementStatSchema,
  cohenKappa: AgreementStatSchema.describe('unweighted; exactly two reviewers'),
  weightedCohenKappa: AgreementStatSchema.describe('quadratic weights; two reviewers, ordinal rubric'),
  fleissKappa: AgreementStatSchema,
  krippendorffAlpha: AgreementStatSchema.extend({ metric: z.string() }),
  pairwise: z
    .array(
      z.object({
        raters: z.tuple([z.string(), z.string()]),
        n: z.number().int().describe('items both reviewers labelled'),
        unweighted: AgreementStatSchema,
        linear: AgreementStatSchema.describe('linear weights; ordinal rubric only'),
        quadratic: AgreementStatSchema.describe('quadratic weights; ordinal rubric only'),
      }),
    )
    .describe("Cohen's kappa of every reviewer pair, 95% interval from the large-sample standard error (Fleiss, Cohen & Everitt 1969)"),
  perLabel: z.array(
    z.object({
      label: z.string(),
      nRatings: z.number().int(),
      specificAgreement: z.number().nullable(),
      specificAgreementCi95: z.tuple([z.number(), z.number()]).nullable().describe('percentile bootstrap over items, seeded'),
      kappa: z.number().nullable(),
      kappaCi95: z.tuple([z.number(), z.number()]).nullable().describe('percentile bootstrap over items, seeded'),
    }),
  ),
  disagreements: z.array(z.object({ item: z.string(), labels: z.array(z.object({ rater: z.string(), label: z.string() })), adjudicated: z.boolean() })),
});
export type AgreementView = z.infer<typeof AgreementViewSchema>;

type Interval = readonly [number, number] | null | undefined;

const pair = (i: Interval): [number, number] | null => (i ? [i[0], i[1]] : null);

export function agreementView(report: AgreementReport, adjudicated: ReadonlySet<string>): AgreementView {
  const stat = (s: { value: number | null; reason: string | null }, interval?: Interval): AgreementStat => ({
    value: s.value,
    ci95: interval ? [interval[0], interval[1]] : null,
    reason: s.reason,
  });
  const cohen = (k: AgreementReport['cohenKappa']): AgreementStat => stat(k, 'interval' in k ? k.interval : null);
  return {
    nItems: report.nItems,
    nRatings: report.nRatings,
    raters: [...report.raters],
    nPairableItems: report.nPairableItems,
    percentAgreement: stat(report.percentAgreement, report.percentAgreement.bootstrap?.interval),
    cohenKappa: cohen(report.cohenKappa),
    weightedCohenKappa: cohen(report.weightedCohenKappa),
    fleissKappa: stat(report.fleissKappa, 'bootstrap' in report.fleissKappa ? report.fleissKappa.bootstrap?.interval : null),
    krippendorffAlpha: { ...stat(report.krippendorffAlpha, report.krippendorffAlpha.bootstrap?.interval), metric: report.krippendorffAlpha.metric },
    pairwise: report.pairwise.map((p) => ({ raters: [p.raters[0], p.raters[1]], n: p.n, unweighted: cohen(p.unweighted), linear: cohen(p.linear), quadratic: cohen(p.quadratic) })),
    perLabel: report.perLabel.map((l) => ({
      label: l.category,
      nRatings: l.nRatings,
      specificAgreement: l.specificAgreement.value,
      specificAgreementCi95: pair(l.specificAgreementInterval),
      kappa: l.kappa.value,
      kappaCi95: pair(l.kappaInterval),
    })),
    disagreements: report.disagreements.map((d) => ({ item: d.item, labels: d.labels.map((l) => ({ rater: l.rater, label: l.label })), adjudicated: adjudicated.has(d.item) })),
  };
}
