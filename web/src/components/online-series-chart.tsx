import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useSearchParams } from 'react-router';
import { ms, pct, usd } from './format';
import { LineChart } from './line-chart';
import { fetchOnlineSeries, SERIES_SIGNALS, type OnlineSeriesCell, type SeriesSignal } from './online-api';
import type { RuleMetric } from './online-rule-spec';
import { Empty, QueryView } from './states';
import { sinceOf } from './time-range';

interface SignalView {
  readonly label: string;
  /** The signal reads a metric's verdicts (the others read the traces themselves). */
  readonly perMetric: boolean;
  readonly format: (v: number) => string;
  readonly domain?: readonly [number, number];
}

const SIGNALS: Record<SeriesSignal, SignalView> = {
  pass_rate: { label: 'Pass rate', perMetric: true, format: pct, domain: [0, 1] },
  mean_score: { label: 'Mean score', perMetric: true, format: (v) => v.toFixed(3) },
  latency_p50: { label: 'Latency p50', perMetric: false, format: ms },
  latency_p95: { label: 'Latency p95', perMetric: false, format: ms },
  error_rate: { label: 'Error rate', perMetric: false, format: pct, domain: [0, 1] },
  cost_per_success: { label: 'Cost per success', perMetric: true, format: usd },
  negative_feedback_rate: { label: 'Negative-feedback rate', perMetric: false, format: pct, domain: [0, 1] },
};

const BUCKETS: Readonly<Record<string, string>> = { '15': '15 min', '60': '1 h', '1440': '1 day' };
const RANGES: Readonly<Record<string, string>> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };
/** More lines than this stop being readable; the cohorts with the most traces are kept. */
const MAX_COHORTS = 6;

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => (value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback);

interface Cohort {
  readonly name: string;
  readonly cells: readonly OnlineSeriesCell[];
  readonly traces: number;
}

function cohortsOf(cells: readonly OnlineSeriesCell[]): Cohort[] {
  const by = new Map<string, OnlineSeriesCell[]>();
  for (const c of cells) by.set(c.cohort, [...(by.get(c.cohort) ?? []), c]);
  return [...by.entries()].map(([name, list]) => ({ name, cells: list, traces: list.reduce((s, c) => s + c.n, 0) }));
}

/**
 * A rule's online time series, one line per cohort, with its controls kept in the address: the
 * signal, the metric (for the signals that read one), the cohorts, the bucket size and the range.
 * Only sampled traces count (flag-picked ones would bias it).
 */
export function OnlineSeriesChart({ project, rule, metrics, cohortAttributes }: { project: string; rule: string; metrics: readonly RuleMetric[]; cohortAttributes: readonly string[] }) {
  const id = useId();
  const [search, setSearch] = useSearchParams();
  const cohortKeys = ['release', 'variant', ...cohortAttributes.filter((a) => a !== 'release' && a !== 'variant' && a !== 'all'), 'all'];
  const signal = pick(search.get('signal'), SERIES_SIGNALS, 'pass_rate');
  const metric = pick(search.get('metric'), metrics.map((m) => m.name), metrics[0]?.name ?? '');
  const by = pick(search.get('by'), cohortKeys, 'release');
  const bucket = pick(search.get('bucket'), Object.keys(BUCKETS), '60');
  const range = pick(search.get('range'), Object.keys(RANGES), '7d');
  const view = SIGNALS[signal];
  const usedMetric = view.perMetric && metric ? metric : undefined;
  const set = (key: string, value: string): void =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const query = useQuery({
    queryKey: ['online-series', project, rule, signal, usedMetric, by, bucket, range],
    queryFn: () => fetchOnlineSeries(project, rule, { signal, metric: usedMetric, by, bucketMinutes: Number(bucket), sinceMs: sinceOf(range, Date.now()) ?? 0 }),
  });
  const control = (key: string, label: string, value: string, options: readonly (readonly [string, string])[], disabled = false) => (
    <span>
      <label htmlFor={`${id}-${key}`}>{label}</label>{' '}
      <select id={`${id}-${key}`} value={value} disabled={disabled} onChange={(e) => set(key, e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </span>
  );
  const title = `${usedMetric ? `${usedMetric} ${view.label.toLowerCase()}` : view.label} ${by === 'all' ? 'of all sampled traces' : `by ${by}`}, ${BUCKETS[bucket]} buckets (UTC)`;
  return (
    <div className="online-series">
      <div className="filters series-controls">
        {control('signal', 'Signal', signal, SERIES_SIGNALS.map((s) => [s, SIGNALS[s].label] as const))}
        {control('metric', 'Metric', metric, metrics.map((m) => [m.name, `${m.name} (${m.scorer})`] as const), !view.perMetric)}
        {control('by', 'Cohorts by', by, cohortKeys.map((k) => [k, k === 'all' ? 'all (one line)' : k] as const))}
        {control('bucket', 'Bucket', bucket, Object.entries(BUCKETS))}
        {control('range', 'Range', range, Object.entries(RANGES))}
      </div>
      <QueryView query={query} what="the series">
        {(data) => {
          const all = cohortsOf(data.cells.filter((c) => c.value !== null));
          const shown = [...all]
            .sort((a, b) => b.traces - a.traces)
            .slice(0, MAX_COHORTS)
            .sort((a, b) => a.name.localeCompare(b.name));
          if (shown.length === 0) return <Empty>No sampled traces with a {view.label.toLowerCase()}{usedMetric ? ` of ${usedMetric}` : ''} in the {RANGES[range]?.toLowerCase()}.</Empty>;
          const starts = [...new Set(shown.flatMap((c) => c.cells.map((cell) => cell.start)))].sort();
          const daily = Number(bucket) >= 1440;
          const hidden = all.length - shown.length;
          return (
            <LineChart xTitle="Bucket (UTC)"
              title={title}
              summary={`${RANGES[range]}: ${shown.map((c) => `${c.name} ${c.traces} traces, latest ${view.format(c.cells.at(-1)?.value as number)}`).join('; ')}${hidden > 0 ? `; ${hidden} smaller cohorts not drawn` : ''}.`}
              xLabels={starts.map((s) => (daily ? s.slice(5, 10) : `${s.slice(5, 10)} ${s.slice(11, 16)}`))}
              xTitles={starts.map((s) => (daily ? s.slice(0, 10) : `${s.slice(0, 16).replace('T', ' ')} UTC`))}
              series={shown.map((c) => ({ name: c.name, values: starts.map((start) => c.cells.find((cell) => cell.start === start)?.value ?? null) }))}
              format={view.format}
              {...(view.domain ? { domain: view.domain } : {})}
              yTitle={view.label}
            />
          );
        }}
      </QueryView>
    </div>
  );
}
