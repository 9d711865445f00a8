import { subsetText } from '../core/subset/subset-text.js';
import { cacheSourcesText } from '../core/cache-sources-text.js';
import type { RunSummary } from '../core/run.js';
import { renderRepeats } from './render-repeats.js';
import { renderTable } from './render-table.js';

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const usd = (x: number | null): string => (x === null ? '—' : x < 0.01 ? `$${x.toFixed(5)}` : `$${x.toFixed(4)}`);
const ms = (x: number | null): string => (x === null ? '—' : x < 1000 ? `${x.toFixed(0)} ms` : `${(x / 1000).toFixed(2)} s`);

/** A run whose target reported neither tokens nor cost (a module or HTTP target without usage): $0 would be a claim. */
const noCostData = (s: RunSummary): boolean => s.costUsd === 0 && s.tokens.input === 0 && s.tokens.output === 0;

/** The scorecard `evalops run` and `evalops runs show` print. */
export function renderScorecard(s: RunSummary): string {
  const rows = Object.entries(s.metrics).map(([name, m]) => [
    name,
    m.owner ?? '—',
    m.failureClass ?? '—',
    String(m.n),
    pct(m.passRate),
    m.ci95 ? `${pct(m.ci95[0])}–${pct(m.ci95[1])}` : '—',
    String(m.failed),
    String(m.errored),
    m.skipped > 0 ? String(m.skipped) : '',
  ]);
  const table = renderTable(['metric', 'owner', 'failure class', 'n', 'pass rate', '95% CI', 'failed', 'errored', 'skipped'], rows, new Set([3, 4, 6, 7, 8]));
  const lines = [
    `run ${s.runId}  ${s.status}  project ${s.project}`,
    `dataset ${s.dataset.name}@${s.dataset.version}  target ${s.target.type}:${s.target.variant}${s.repeat > 1 ? `  repeat ${s.repeat}` : ''}`,
    ...(s.subset ? [subsetText(s.subset)] : []),
    '',
    table,
    ...(s.repeat > 1 ? ['', `repeats: ${s.repeat} trials per example (pass^${s.repeat}: every trial passed; pass@${s.repeat}: at least one did; flaky: trials disagree)`, renderRepeats(s.repeat, Object.entries(s.metrics).map(([name, m]) => ({ name, passRate: m.passRate, repeats: m.repeats })))] : []),
    '',
    `results ${s.results.total}/${s.results.expected}  errors ${s.results.errors}  cached ${s.results.cached}  successes ${s.successes}`,
    ...(s.results.cached > 0 ? [cacheSourcesText(s) as string] : []),
    noCostData(s) ? `cost —  cost per successful run —  tokens — (the target reported no usage)` : `cost ${usd(s.costUsd)}  cost per successful run ${usd(s.costPerSuccessUsd)}  tokens ${s.tokens.input} in / ${s.tokens.output} out`,
    `latency p50 ${ms(s.latencyMs.p50)}  p95 ${ms(s.latencyMs.p95)}  duration ${ms(s.durationMs)}`,
  ];
  return lines.join('\n');
}
