import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { interval, ms, pct, text, usd, when } from '../components/format';
import { Empty, QueryView } from '../components/states';

/** One run: its scorecard, and its results with every score, filterable to the failures. */
export function RunPage() {
  const runId = useParams().runId ?? '';
  const [failures, setFailures] = useState(false);
  const summary = useQuery({ queryKey: ['run', runId], queryFn: async () => unwrap(await api.GET('/runs/{runId}', { params: { path: { runId } } })) });
  const results = useQuery({
    queryKey: ['run-results', runId, failures],
    queryFn: async () => unwrap(await api.GET('/runs/{runId}/results', { params: { path: { runId }, query: { limit: 2000, ...(failures ? { failures: 'true' as const } : {}) } } })),
  });
  return (
    <QueryView query={summary} what="the run">
      {(run) => (
        <section aria-labelledby="run-title">
          <h1 id="run-title">
            Run <code>{run.runId}</code> <span className={`badge ${run.status}`}>{run.status}</span>
          </h1>
          <p className="meta">
            {run.project} · dataset {run.dataset.name}@{run.dataset.version.slice(0, 8)} · {run.target.type}:{run.target.variant} · started {when(run.startedAt)} · {run.results.total} results
            ({run.results.errors} errors) · cost {usd(run.costUsd)} · per success {usd(run.costPerSuccessUsd)} · p50 {ms(run.latencyMs.p50)} · p95 {ms(run.latencyMs.p95)}
          </p>
          <h2>Metrics</h2>
          <table className="metrics">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Owner</th>
                <th scope="col">Failure class</th>
                <th scope="col" className="num">n</th>
                <th scope="col" className="num">Pass rate</th>
                <th scope="col">95% interval</th>
                <th scope="col" className="num">Failed</th>
                <th scope="col" className="num">Errored</th>
                <th scope="col" className="num">Skipped</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(run.metrics).map(([name, m]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{m.owner ?? '—'}</td>
                  <td>{m.failureClass ?? '—'}</td>
                  <td className="num">{m.n}</td>
                  <td className="num">{pct(m.passRate)}</td>
                  <td>{interval(m.ci95)}</td>
                  <td className="num">{m.failed}</td>
                  <td className="num">{m.errored}</td>
                  <td className="num">{m.skipped}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Results</h2>
          <div className="filters">
            <label>
              <input type="checkbox" checked={failures} onChange={(e) => setFailures(e.target.checked)} /> Only failures
            </label>
          </div>
          <QueryView query={results} what="results">
            {(page) =>
              page.items.length === 0 ? (
                <Empty>{failures ? 'No failures in this run.' : 'No results stored.'}</Empty>
              ) : (
                <DataTable
                  label="Results"
                  rows={page.items}
                  rowKey={(r) => `${r.exampleId}#${r.trial}`}
                  columns={[
                    { header: 'Example', cell: (r) => <code>{r.exampleId}</code>, width: 'minmax(8rem, 1fr)' },
                    { header: 'Output', cell: (r) => (r.error ? <span className="fail">error: {r.error}</span> : <span className="clip">{text(r.output)}</span>), width: 'minmax(14rem, 3fr)' },
                    { header: 'Tool calls', cell: (r) => r.toolCalls.map((t) => t.name).join(', ') || '—', width: 'minmax(7rem, 1fr)' },
                    {
                      header: 'Scores',
                      cell: (r) => (
                        <span className="scores">
                          {Object.entries(r.scores).map(([m, s]) => (
                            <span key={m} className={`score ${s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}`} title={s.reason ?? ''}>
                              {m}: {s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}
                              {s.label ? ` (${s.label})` : ''}
                            </span>
                          ))}
                        </span>
                      ),
                      width: 'minmax(16rem, 3fr)',
                    },
                    { header: 'Latency', cell: (r) => ms(r.latencyMs), numeric: true, width: '6rem' },
                    { header: 'Cost', cell: (r) => usd(r.costUsd), numeric: true, width: '5rem' },
                  ]}
                />
              )
            }
          </QueryView>
        </section>
      )}
    </QueryView>
  );
}
