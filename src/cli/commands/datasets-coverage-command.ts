import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetCoverageOperation } from '../../api/coverage-operations.js';
import { CONFIG_FILE_NAMES, loadConfig } from '../../config/load-config.js';
import type { CoverageReport } from '../../datasets/dataset-coverage.js';
import { EvalOpsError } from '../../core/errors.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

export interface CoverageFlags extends RemoteFlags {
  readonly config?: string;
  readonly project?: string;
  readonly version?: string;
  readonly days?: string;
  readonly minExamples?: string;
  readonly top?: string;
  readonly clusters?: boolean;
  readonly maxTraces?: string;
  readonly seed?: string;
  readonly maxClusters?: string;
  readonly json?: boolean;
}

/**
 * `evalops datasets coverage DATASET`: the config's `coverage:` mapping (when there is a config) sent
 * with the flags; the report printed. An empty window says so and exits 0.
 */
export async function datasetsCoverageCommand(name: string, flags: CoverageFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const days = parseIntFlag(flags.days, '--days', 1, 365);
    const minExamples = parseIntFlag(flags.minExamples, '--min-examples', 1, 100_000);
    const top = parseIntFlag(flags.top, '--top', 1, 100);
    const maxTraces = parseIntFlag(flags.maxTraces, '--max-traces', 10, 5_000);
    const seed = parseIntFlag(flags.seed, '--seed', 0, 2 ** 31 - 1);
    const maxClusters = parseIntFlag(flags.maxClusters, '--max-clusters', 2, 100);
    if (!flags.clusters && (maxTraces !== undefined || seed !== undefined || maxClusters !== undefined)) throw new EvalOpsError('usage', '--max-traces, --seed and --max-clusters apply to --clusters; add --clusters');
    const hasConfig = flags.config !== undefined || CONFIG_FILE_NAMES.some((f) => existsSync(join(process.cwd(), f)));
    const coverage = hasConfig ? (await loadConfig(flags.config)).config.coverage : undefined;
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const report = await api.call(datasetCoverageOperation, {
        params: { project, dataset: name },
        body: {
          attributes: coverage?.attributes ?? {},
          minExamples: minExamples ?? coverage?.minExamples ?? 5,
          days: days ?? coverage?.days ?? 7,
          ...(top === undefined ? {} : { top }),
          ...(flags.version === undefined ? {} : { version: flags.version }),
          ...(flags.clusters ? { clusters: { ...(maxTraces === undefined ? {} : { maxTraces }), ...(seed === undefined ? {} : { seed }), ...(maxClusters === undefined ? {} : { maxClusters }) } } : {}),
        },
      });
      if (flags.json) return printJson(report);
      process.stdout.write(renderCoverage(report));
      return 0;
    } finally {
      await api.close();
    }
  });
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const BARS = '▁▂▃▄▅▆▇█';

/** Age in days of an ISO time, as "12 d". */
function age(iso: string | null, to: string): string {
  if (iso === null) return '—';
  return `${Math.max(0, Math.floor((Date.parse(to) - Date.parse(iso)) / 86_400_000))} d`;
}

function sparkline(trend: readonly { share: number }[]): string {
  const max = Math.max(0, ...trend.map((t) => t.share));
  if (max === 0) return '';
  return trend.map((t) => BARS[Math.min(BARS.length - 1, Math.floor((t.share / max) * (BARS.length - 1)))]).join('');
}

export function renderCoverage(r: CoverageReport): string {
  const lines = [`Coverage of ${r.dataset.name}@${r.dataset.version} (${r.dataset.examples} examples) by production traffic, ${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)} (${r.window.days} days): ${r.traces} traces, ${r.sliced} with slice attributes`];
  if (r.coveredShare !== null) {
    lines.push(`dataset covers ${pct(r.coveredShare)} of the last ${r.window.days} days' traffic (slices with at least ${r.minExamples} examples); ${pct(r.uncoveredShare)} falls in slices with fewer`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.slices.length) {
    const rows = r.slices.map((s) => [s.slice, pct(s.share), pct(s.datasetShare), String(s.examples), age(s.newestExampleAt, r.window.to), sparkline(s.trend), s.covered ? 'yes' : 'NO']);
    lines.push('', renderTable(['slice', 'traffic', 'dataset', 'examples', 'newest example', 'daily share', 'covered'], rows, new Set([1, 2, 3, 4])));
  }
  if (r.uncovered.length) {
    lines.push('', 'Top uncovered slices (promote their traces to add examples):');
    for (const s of r.uncovered) {
      lines.push(`  ${s.slice}: ${pct(s.share)} of traffic, ${s.examples} example(s)${s.exampleTraceIds.length ? ` — e.g. ${s.exampleTraceIds.join(', ')}` : ''}`);
      const cmd = r.promote.find((p) => p.slice === s.slice);
      if (cmd) lines.push(`    ${cmd.command}`);
    }
  }
  if (r.clusters) lines.push('', ...renderClusters(r.clusters));
  return `${lines.join('\n')}\n`;
}

function renderClusters(c: NonNullable<CoverageReport['clusters']>): string[] {
  const lines = [`By clusters of what users ask (${c.sampled} of ${c.windowTraces} traces sampled, clustered with the dataset's examples): dataset covers ${pct(c.coveredShare)} (clusters with at least the examples above)`];
  const rows = c.clusters.filter((x) => x.traffic > 0).map((x) => [x.id, x.name, pct(x.share), String(x.examples), x.covered ? 'yes' : 'NO']);
  if (c.unclustered.traffic > 0) rows.push(['—', 'unclustered (no term shared with any cluster)', pct(c.unclustered.share), '0', 'NO']);
  if (rows.length) lines.push(renderTable(['cluster', 'name', 'traffic', 'examples', 'covered'], rows, new Set([2, 3])));
  if (c.promote.length) {
    lines.push('Top uncovered clusters (promote their traces to add examples):');
    for (const p of c.promote) {
      const x = c.clusters.find((y) => y.id === p.cluster);
      lines.push(`  ${p.cluster} ${x?.name ?? ''}: ${pct(x?.share ?? 0)} of traffic, ${x?.examples ?? 0} example(s)`, `    ${p.command}`);
    }
  }
  return lines;
}
