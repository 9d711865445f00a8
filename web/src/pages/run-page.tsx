import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { interval, ms, pct, text, usd, variantName, when } from '../components/format';
import { HistogramChart } from '../components/histogram-chart';
import { Pager } from '../components/pager';
import { SliceBarChart } from '../components/slice-bar-chart';
import { Empty, QueryView } from '../components/states';
import { asTranscriptView } from '../components/transcript';
import { triageHref } from '../components/triage-source';
import { TranscriptView } from '../components/transcript-view';
import { RunSubsetPanel } from '../components/subset-panel';

/** Results per page: the browser never holds more than this many rows of a run. */
const PAGE = 200;

/**
 * One run: its scorecard, charts of pass rate by slice and of latency, and its results — filtered in
 * the database to the failures, to one metric's failures or to one slice, a page at a time.
 */
export function RunPage() {
  const project = useParams().project ?? '';
  const runId = useParams().runId ?? '';
  const [failures, setFailures] = useState(false);
  const [metric, setMetric] = useState('');
  const [slice, setSlice] = useState('');
  const [offset, setOffset] = useState(0);
  // `?example=ID` (a link from triage or elsewhere): the results of that one example, every trial.
  const [search, setSearch] = useSearchParams();
  const example = search.get('example') ?? '';
  useEffect(() => setOffset(0), [runId, failures, metric, slice, example]);
  const summary = useQuery({ queryKey: ['run', runId], queryFn: async () => unwrap(await api.GET('/runs/{runId}', { params: { path: { runId } } })) });
  const slices = useQuery({ queryKey: ['run-slices', runId], queryFn: async () => unwrap(await api.GET('/runs/{runId}/slices', { params: { path: { runId } } })) });
  const results = useQuery({
    queryKey: ['run-results', runId, failures, metric, slice, example, offset],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET('/runs/{runId}/results', {
          params: { path: { runId }, query: { limit: PAGE, offset, examples: 'true', ...(failures ? { failures: 'true' as const } : {}), ...(metric ? { metric } : {}), ...(slice ? { slice } : {}), ...(example ? { example } : {}) } },
        }),
      ),
  });
  return (
    <QueryView query={summary} what="the run">
      {(run) => (
        <section aria-labelledby="run-title">
          <h1 id="run-title">
            Run <code>{run.runId}</code> <span className={`badge ${run.status}`}>{run.status}</span>
          </h1>
          <p className="actions">
            <Link className="button" to={`/p/${encodeURIComponent(project)}/compare?candidate=${encodeURIComponent(run.runId)}`}>
              Compare with…
            </Link>{' '}
            <Link className="button" to={triageHref(project, { kind: 'run', runId: run.runId })}>
              Triage failures
            </Link>
          </p>
          <p className="meta">
            {run.project} · dataset {run.dataset.name}@{run.dataset.version.slice(0, 8)} · <span title={run.target.variant}>{variantName(run.target)}</span> · started {when(run.startedAt)} · {run.results.total} results
            ({run.results.errors} errors) · cost {usd(run.costUsd)} · per success {usd(run.costPerSuccessUsd)} · p50 {ms(run.latencyMs.p50)} · p95 {ms(run.latencyMs.p95)}
          </p>
          {run.subset && <RunSubsetPanel project={project} runId={run.runId} subset={run.subset} />}
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
          <RunCharts runId={runId} metrics={Object.keys(run.metrics)} overall={Object.fromEntries(Object.entries(run.metrics).map(([k, m]) => [k, m.passRate]))} slices={slices} />
          <h2 id="results-title">Results</h2>
          <form className="filters" aria-labelledby="results-title" onSubmit={(e) => e.preventDefault()}>
            <label>
              <input type="checkbox" checked={failures} onChange={(e) => setFailures(e.target.checked)} /> Only failures
            </label>
            <span>
              <label htmlFor="results-metric">Failed on metric</label>{' '}
              <select id="results-metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
                <option value="">any metric</option>
                {Object.keys(run.metrics).map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </span>
            <span>
              <label htmlFor="results-slice">Slice</label>{' '}
              <select id="results-slice" value={slice} onChange={(e) => setSlice(e.target.value)}>
                <option value="">every slice</option>
                {(slices.data?.slices ?? []).map((s) => (
                  <option key={s.slice} value={s.slice}>
                    {s.slice} ({s.examples})
                  </option>
                ))}
              </select>
            </span>
          </form>
          {example && (
            <p className="filter-note" role="status">
              Showing the results of example <code>{example}</code> only.{' '}
              <button
                type="button"
                className="link"
                onClick={() => {
                  const next = new URLSearchParams(search);
                  next.delete('example');
                  setSearch(next);
                }}
              >
                Show every result
              </button>
            </p>
          )}
          <QueryView query={results} what="results">
            {(page) =>
              page.items.length === 0 ? (
                <Empty>{failures || metric || slice || example ? 'No results match these filters.' : 'No results stored.'}</Empty>
              ) : (
                <>
                  <p className="meta" aria-live="polite">
                    {page.total} result{page.total === 1 ? '' : 's'}
                    {failures || metric || slice || example ? ' match' : ''}
                  </p>
                  <DataTable
                    label="Results"
                    rows={page.items}
                    rowKey={(r) => `${r.exampleId}#${r.trial}`}
                    columns={[
                      { header: 'Example', cell: (r) => <code>{r.exampleId}</code>, width: 'minmax(8rem, 1fr)' },
                      { header: 'Input', cell: (r) => <span className="clip">{text(r.example?.input)}</span>, width: 'minmax(12rem, 2fr)' },
                      { header: 'Expected', cell: (r) => <span className="clip">{text(r.example?.expected)}</span>, width: 'minmax(8rem, 1.5fr)' },
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
                  <Pager offset={page.offset} count={page.items.length} total={page.total} pageSize={PAGE} onOffset={setOffset} what="results" />
                  <Conversations results={page.items} />
                </>
              )
            }
          </QueryView>
        </section>
      )}
    </QueryView>
  );
}

/** The results of the page whose output is a conversation, each as a transcript to open. */
function Conversations({ results }: { results: readonly { exampleId: string; trial: number; output?: unknown; scores: Record<string, { status: string; pass: boolean | null }> }[] }) {
  const conversations = results.flatMap((r) => {
    const view = asTranscriptView(r.output);
    return view ? [{ r, view }] : [];
  });
  if (conversations.length === 0) return null;
  return (
    <section className="conversations" aria-labelledby="conversations-title">
      <h2 id="conversations-title">Conversations</h2>
      {conversations.map(({ r, view }) => (
        <details key={`${r.exampleId}#${r.trial}`}>
          <summary>
            <code>{r.exampleId}</code>
            {r.trial > 0 ? ` (trial ${r.trial + 1})` : ''} · {view.turns.length} turn{view.turns.length === 1 ? '' : 's'}
            {view.goalMet !== null ? (view.goalMet ? ' · goal met' : ' · goal not met') : ''}{' '}
            {Object.entries(r.scores).map(([m, s]) => (
              <span key={m} className={`score ${s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}`}>
                {m}: {s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}
              </span>
            ))}
          </summary>
          <TranscriptView transcript={view} label={`Conversation ${r.exampleId}`} />
        </details>
      ))}
    </section>
  );
}

type SliceRates = { runId: string; metrics: string[]; slices: { slice: string; examples: number; metrics: Record<string, { n: number; passed: number; passRate: number | null; ci95: number[] | null }> }[] };

/** Pass rate by slice (one metric at a time) and the latency distribution of the run. */
function RunCharts({ runId, metrics, overall, slices }: { runId: string; metrics: string[]; overall: Record<string, number | null>; slices: { isPending: boolean; error: unknown; data: SliceRates | undefined } }) {
  const [metric, setMetric] = useState(metrics[0] ?? '');
  const latency = useQuery({ queryKey: ['run-latency', runId], queryFn: async () => unwrap(await api.GET('/runs/{runId}/latency', { params: { path: { runId }, query: { bins: 24 } } })) });
  return (
    <>
      <h2>Charts</h2>
      <div className="chart-grid">
        <div>
          <span className="chart-control">
            <label htmlFor="slice-chart-metric">Metric</label>{' '}
            <select id="slice-chart-metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </span>
          <QueryView query={slices} what="pass rate by slice">
            {(d) =>
              d.slices.length === 0 ? (
                <Empty>The dataset has no slices.</Empty>
              ) : (
                <SliceBarChart metric={metric} overall={overall[metric] ?? null} bars={d.slices.flatMap((s) => (s.metrics[metric] ? [{ slice: s.slice, n: s.metrics[metric]!.n, passRate: s.metrics[metric]!.passRate, ci95: s.metrics[metric]!.ci95 }] : []))} />
              )
            }
          </QueryView>
        </div>
        <QueryView query={latency} what="the latency distribution">
          {(d) => <HistogramChart bins={d.bins} p50={d.p50} p95={d.p95} count={d.count} />}
        </QueryView>
      </div>
    </>
  );
}
