import type { CoverageConfig } from '../core/coverage/coverage-config.js';
import type { CoverageMeasure } from '../core/coverage/coverage-measure.js';
import { DEFAULT_COVERAGE_DAYS, type GateRule } from '../core/gate-config.js';
import { datasetCoverage } from '../datasets/dataset-coverage.js';
import type { Store } from '../store/store.js';

/** Uncovered slices a decision keeps for its report. */
const TOP_UNCOVERED = 5;

/**
 * The candidate dataset version's coverage of production for a gate decision: one measure per
 * window — the scorecard's (`coverage.days`, default 7) and each `minCoverage` rule's — computed by
 * `evalops datasets coverage` with the config's attribute mapping.
 * @example await measureCoverage(store, 'support-bot', { name: 'cases', version: 'ab12…' }, config.gate.rules, config.coverage)
 */
export async function measureCoverage(
  store: Store,
  project: string,
  dataset: { readonly name: string; readonly version: string },
  rules: readonly GateRule[],
  config: CoverageConfig | undefined,
  now: number = Date.now(),
): Promise<CoverageMeasure[]> {
  const windows = new Set<number>([config?.days ?? DEFAULT_COVERAGE_DAYS]);
  for (const r of rules) if (r.minCoverage !== undefined) windows.add(r.days ?? DEFAULT_COVERAGE_DAYS);
  const measures: CoverageMeasure[] = [];
  for (const days of [...windows].sort((a, b) => a - b)) {
    const report = await datasetCoverage(store, project, dataset.name, { attributes: config?.attributes ?? {}, minExamples: config?.minExamples ?? 5, days, top: TOP_UNCOVERED, version: dataset.version }, now);
    measures.push({
      days,
      from: report.window.from,
      to: report.window.to,
      traces: report.traces,
      sliced: report.sliced,
      covered: report.covered,
      coveredShare: report.coveredShare,
      minExamples: report.minExamples,
      uncovered: report.uncovered.map((u) => ({ slice: u.slice, share: u.share, examples: u.examples })),
    });
  }
  return measures;
}
