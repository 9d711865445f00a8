import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { pct, usd, ms, variantName } from '../components/format';
import { LineChart } from '../components/line-chart';
import { Empty, QueryView } from '../components/states';

const WINDOWS = [10, 30, 100] as const;

/** `/p/:project/trends`: pass rate of every metric, cost per successful result and latency over the last completed runs. */
export function TrendsPage() {
  const project = useParams().project ?? '';
  const [runs, setRuns] = useState<(typeof WINDOWS)[number]>(30);
  const query = useQuery({ queryKey: ['trends', project, runs], queryFn: async () => unwrap(await api.GET('/projects/{project}/trends', { params: { path: { project }, query: { runs } } })) });
  return (
    <section aria-labelledby="trends-title">
      <h1 id="trends-title">Trends · {project}</h1>
      <div className="filters">
        <label htmlFor="trends-runs">Runs</label>
        <select id="trends-runs" value={runs} onChange={(e) => setRuns(Number(e.target.value) as (typeof WINDOWS)[number])}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                last {w} completed
              </option>
            ))}
        </select>
      </div>
      <QueryView query={query} what="trends">
        {(d) => {
          if (d.runs.length === 0) return <Empty>No completed runs yet. Run `evalops run` to score the first one.</Empty>;
          const xLabels = d.runs.map((r, i) => `#${i + 1} ${variantName(r.target)}`);
          const xTitles = d.runs.map((r) => `${r.runId} (${variantName(r.target)}, ${r.startedAt.slice(0, 16).replace('T', ' ')})`);
          const first = d.runs[0]!;
          const last = d.runs[d.runs.length - 1]!;
          const moves = d.metrics
            .map((m) => ({ m, from: first.passRates[m] ?? null, to: last.passRates[m] ?? null }))
            .filter((x) => x.from !== null && x.to !== null)
            .map((x) => `${x.m} ${pct(x.from)} → ${pct(x.to)}`);
          const cost = d.runs.map((r) => r.costPerSuccessUsd);
          return (
            <div className="chart-grid">
              <LineChart
                title="Pass rate by metric over runs"
                summary={`${d.runs.length} completed runs, oldest first. From the first to the last: ${moves.join('; ') || 'no pass/fail metric'}.`}
                xLabels={xLabels}
                xTitles={xTitles}
                series={d.metrics.map((m) => ({ name: m, values: d.runs.map((r) => r.passRates[m] ?? null) }))}
                format={(v) => `${Math.round(v * 100)}%`}
                domain={[0, 1]}
                yTitle="pass rate"
              />
              <LineChart
                title="Cost per successful result over runs"
                summary={`Total cost divided by results with no error and every metric passed; ${usd(first.costPerSuccessUsd)} in the first run, ${usd(last.costPerSuccessUsd)} in the last.`}
                xLabels={xLabels}
                xTitles={xTitles}
                series={[{ name: 'cost per success', values: cost }]}
                format={(v) => usd(v)}
                yTitle="USD"
              />
              <LineChart
                title="Latency over runs"
                summary={`Median latency ${ms(first.latencyMs.p50)} in the first run, ${ms(last.latencyMs.p50)} in the last; p95 ${ms(first.latencyMs.p95)} then ${ms(last.latencyMs.p95)}.`}
                xLabels={xLabels}
                xTitles={xTitles}
                series={[
                  { name: 'p50', values: d.runs.map((r) => r.latencyMs.p50) },
                  { name: 'p95', values: d.runs.map((r) => r.latencyMs.p95) },
                ]}
                format={(v) => ms(v)}
                yTitle="latency"
              />
            </div>
          );
        }}
      </QueryView>
    </section>
  );
}
