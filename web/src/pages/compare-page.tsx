import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DeltaHeatmap } from '../components/delta-heatmap';
import { pct, variantName, when } from '../components/format';
import { IntervalPlot, points } from '../components/interval-plot';
import { Empty, QueryView } from '../components/states';
import { triageHref } from '../components/triage-source';
import { CompareExample } from './compare-example';
import { CompareFlips } from './compare-flips';

/**
 * `/p/:project/compare?baseline=…&candidate=…`: a candidate run against a baseline — per-metric
 * deltas with their intervals, the slice × metric heat-map, the examples that flipped (pass → fail
 * first) and, for one of them, both outputs side by side. Everything chosen lives in the URL, so a
 * comparison can be linked (metric, slice, example).
 */
export function ComparePage() {
  const project = useParams().project ?? '';
  const [params, setParams] = useSearchParams();
  const baseline = params.get('baseline') ?? '';
  const candidate = params.get('candidate') ?? '';
  const common = params.get('common') === '1';
  const metric = params.get('metric');
  const slice = params.get('slice');
  const example = params.get('example');
  const set = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: false });
  };

  /** The URL of this comparison with one example open: each flipped example's row links there. */
  const exampleHref = (id: string): string => {
    const next = new URLSearchParams(params);
    next.set('example', id);
    return `?${next.toString()}`;
  };

  const runs = useQuery({ queryKey: ['runs', project, 'compare'], queryFn: async () => unwrap(await api.GET('/projects/{project}/runs', { params: { path: { project }, query: { limit: 200 } } })) });

  // With no choice yet: the newest run as the candidate and the run before it as the baseline.
  useEffect(() => {
    const list = runs.data?.runs;
    if (!list || list.length < 2 || (baseline && candidate)) return;
    const c = candidate || list[0]!.runId;
    const at = list.findIndex((r) => r.runId === c);
    const b = baseline || (list[at + 1] ?? list.find((r) => r.runId !== c))?.runId || '';
    const next = new URLSearchParams(params);
    next.set('candidate', c);
    if (b) next.set('baseline', b);
    setParams(next, { replace: true });
  }, [runs.data, baseline, candidate, params, setParams]);

  const ready = baseline !== '' && candidate !== '' && baseline !== candidate;
  const comparison = useQuery({
    queryKey: ['compare', baseline, candidate, common],
    enabled: ready,
    queryFn: async () =>
      unwrap(await api.GET('/runs/{baselineRunId}/compare/{candidateRunId}', { params: { path: { baselineRunId: baseline, candidateRunId: candidate }, query: common ? { commonExamples: 'true' } : {} } })),
  });

  return (
    <section aria-labelledby="compare-title">
      <h1 id="compare-title">Compare runs</h1>
      <QueryView query={runs} what="runs">
        {(data) =>
          data.runs.length < 2 ? (
            <Empty>Comparing needs two runs of this project; there {data.runs.length === 1 ? 'is one' : 'are none'}.</Empty>
          ) : (
            <form className="filters" aria-label="Runs to compare" onSubmit={(e) => e.preventDefault()}>
              {(
                [
                  ['baseline', 'Baseline run', baseline],
                  ['candidate', 'Candidate run', candidate],
                ] as const
              ).map(([key, label, value]) => (
                <span key={key}>
                  <label htmlFor={`compare-${key}`}>{label}</label>{' '}
                  <select id={`compare-${key}`} value={value} onChange={(e) => set({ [key]: e.target.value, metric: null, slice: null, example: null })}>
                    {!value && <option value="">choose a run</option>}
                    {data.runs.map((r) => (
                      <option key={r.runId} value={r.runId}>
                        {r.runId} · {variantName(r.target)} · {when(r.startedAt)}
                      </option>
                    ))}
                  </select>
                </span>
              ))}
              <label>
                <input type="checkbox" checked={common} onChange={(e) => set({ common: e.target.checked ? '1' : null })} /> Only the examples both datasets share
              </label>
            </form>
          )
        }
      </QueryView>
      {baseline !== '' && baseline === candidate && <Empty>Pick two different runs.</Empty>}
      {ready && (
        <QueryView query={comparison} what="the comparison">
          {(c) => {
            const overall = c.comparisons.filter((x) => x.slice === null);
            const limit = Math.max(0.05, ...c.comparisons.flatMap((x) => (x.ci95 ? x.ci95.map(Math.abs) : x.delta !== null ? [Math.abs(x.delta)] : [])));
            return (
              <>
                <p className="actions">
                  <Link className="button" to={triageHref(project, { kind: 'compare', baselineRunId: baseline, candidateRunId: candidate })}>
                    Triage regressions
                  </Link>
                </p>
                <p className="meta">
                  {c.dataset.candidate.name}@{c.dataset.candidate.version.slice(0, 8)}
                  {c.dataset.same ? '' : ` (baseline ${c.dataset.baseline.name}@${c.dataset.baseline.version.slice(0, 8)})`} · {c.pairing.paired} paired examples · Holm-corrected
                </p>
                {c.warnings.map((w) => (
                  <p key={w} className="warning">
                    {w}
                  </p>
                ))}
                <h2>Metric deltas</h2>
                <table className="metrics deltas">
                  <caption>Candidate minus baseline over all paired examples, with the 95% interval of the paired difference (the plot's vertical line is zero).</caption>
                  <thead>
                    <tr>
                      <th scope="col">Metric</th>
                      <th scope="col" className="num">Baseline</th>
                      <th scope="col" className="num">Candidate</th>
                      <th scope="col" className="num">Delta</th>
                      <th scope="col">95% interval</th>
                      <th scope="col">Plot</th>
                      <th scope="col" className="num">Adjusted p</th>
                      <th scope="col">Verdict</th>
                      <th scope="col" className="num">Worse / better</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overall.map((m) => (
                      <tr key={m.metric}>
                        <th scope="row">{m.metric}</th>
                        <td className="num">{pct(m.baseline)}</td>
                        <td className="num">{pct(m.candidate)}</td>
                        <td className="num">{points(m.delta)}</td>
                        <td>{m.ci95 && m.ci95.length === 2 ? `${points(m.ci95[0])} to ${points(m.ci95[1])}` : '—'}</td>
                        <td>
                          <IntervalPlot delta={m.delta} ci={m.ci95} limit={limit} label={m.metric} />
                        </td>
                        <td className="num">{m.pAdjusted === null ? '—' : m.pAdjusted < 0.001 ? '< 0.001' : m.pAdjusted.toFixed(3)}</td>
                        <td>
                          <span className={`badge ${m.verdict}`}>{m.verdict}</span>
                        </td>
                        <td className="num">
                          {m.regressedExamples} / {m.improvedExamples}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <h2>Slices × metrics</h2>
                <p className="hint">Select a cell to list the examples of that slice that flipped on that metric.</p>
                <DeltaHeatmap
                  metrics={c.metrics}
                  cells={c.comparisons}
                  selected={metric ? { metric, slice } : null}
                  onSelect={(m, s) => (metric === m && slice === s ? set({ metric: null, slice: null, example: null }) : set({ metric: m, slice: s, example: null }))}
                />
                <CompareFlips baseline={baseline} candidate={candidate} metric={metric} slice={slice} selected={example} onClear={() => set({ metric: null, slice: null, example: null })} exampleHref={exampleHref} />
                {example && <CompareExample baseline={baseline} candidate={candidate} exampleId={example} />}
              </>
            );
          }}
        </QueryView>
      )}
    </section>
  );
}
