import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { pct } from './format';
import { LineChart } from './line-chart';
import { fetchPassRateSeries, type SeriesCell } from './monitor-api';
import { Empty, QueryView } from './states';

const DAYS = 3;
const BUCKET_MINUTES = 60;
/** More lines than this stop being readable; the releases with the most traces are kept. */
const MAX_RELEASES = 6;

/** Pass rate over every cell of a release: the cells' verdicts pooled, not their rates averaged. */
function pooled(cells: readonly SeriesCell[]): { rate: number | null; n: number } {
  const judged = cells.filter((c) => c.value !== null);
  const n = judged.reduce((s, c) => s + c.n, 0);
  return { n, rate: n > 0 ? judged.reduce((s, c) => s + Math.round((c.value as number) * c.n), 0) / n : null };
}

/**
 * A metric's pass rate per release, hourly over the last days, from the rule's online series
 * (sampled traces only). `releases` narrows the lines to those (a canary and its live release).
 */
export function PassRateByReleaseChart({ project, rule, metric, releases }: { project: string; rule: string; metric: string; releases?: readonly string[] }) {
  const [sinceMs] = useState(() => Date.now() - DAYS * 24 * 3_600_000);
  const query = useQuery({ queryKey: ['online-series', project, rule, metric, sinceMs], queryFn: () => fetchPassRateSeries(project, rule, metric, sinceMs, BUCKET_MINUTES) });
  return (
    <QueryView query={query} what="the pass-rate series">
      {(data) => {
        const wanted = releases && releases.length > 0 ? new Set(releases) : null;
        const cells = data.cells.filter((c) => wanted === null || wanted.has(c.cohort));
        const byRelease = new Map<string, SeriesCell[]>();
        for (const c of cells) byRelease.set(c.cohort, [...(byRelease.get(c.cohort) ?? []), c]);
        const shown = [...byRelease.entries()]
          .map(([release, list]) => ({ release, list, ...pooled(list) }))
          .sort((a, b) => b.n - a.n)
          .slice(0, MAX_RELEASES)
          .sort((a, b) => a.release.localeCompare(b.release));
        if (shown.length === 0) return <Empty>No sampled traces of {metric} in the last {DAYS} days.</Empty>;
        const starts = [...new Set(shown.flatMap((s) => s.list.map((c) => c.start)))].sort();
        return (
          <LineChart xTitle="Hour (UTC)"
            title={`${metric}: pass rate by release, hourly (UTC)`}
            summary={`Over the last ${DAYS} days: ${shown.map((s) => `${s.release} ${pct(s.rate)} (${s.n} traces)`).join(', ')}.`}
            xLabels={starts.map((s) => `${s.slice(5, 10)} ${s.slice(11, 13)}h`)}
            xTitles={starts.map((s) => `${s.slice(0, 16).replace('T', ' ')} UTC`)}
            series={shown.map((s) => ({ name: s.release, values: starts.map((start) => s.list.find((c) => c.start === start)?.value ?? null) }))}
            format={pct}
            domain={[0, 1]}
            yTitle="Pass rate"
          />
        );
      }}
    </QueryView>
  );
}
