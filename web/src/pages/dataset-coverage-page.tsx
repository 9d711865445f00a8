import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { CopyablePre } from '../components/copyable-pre';
import { fetchCoverage, parseAttributes, type Coverage } from '../components/coverage-api';
import { pct } from '../components/format';
import { QueryView } from '../components/states';

/**
 * `/p/:project/datasets/:dataset/coverage?days=&minExamples=&attributes=&clusters=`: how well the
 * dataset covers production — each slice's share of the window's traffic beside its share of the
 * dataset, the uncovered slices with example traces, the clusters of what users ask that the dataset
 * does not cover (on unless `clusters=0`), and the commands that promote them into the dataset. The
 * server has no config: slice attributes other than `evalops.slice.*` are mapped in the form.
 */
export function DatasetCoveragePage() {
  const project = useParams().project ?? '';
  const dataset = useParams().dataset ?? '';
  const [params, setParams] = useSearchParams();
  const days = clamp(Number(params.get('days') ?? 7), 1, 365, 7);
  const minExamples = clamp(Number(params.get('minExamples') ?? 5), 1, 100_000, 5);
  const attributesText = params.get('attributes') ?? '';
  const attributes = parseAttributes(attributesText) ?? {};
  const version = params.get('version') ?? '';
  const clusters = params.get('clusters') !== '0';
  const [draft, setDraft] = useState({ days: String(days), minExamples: String(minExamples), attributes: attributesText, clusters });
  const [formError, setFormError] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['dataset-coverage', project, dataset, days, minExamples, attributesText, version, clusters],
    placeholderData: keepPreviousData,
    queryFn: () => fetchCoverage(project, dataset, { days, minExamples, attributes, clusters, ...(version ? { version } : {}) }),
  });
  const base = `/p/${encodeURIComponent(project)}`;
  const apply = (e: React.FormEvent): void => {
    e.preventDefault();
    if (parseAttributes(draft.attributes) === null) return setFormError('Mapped attributes are key=attribute pairs separated by commas, e.g. "lang=app.lang".');
    setFormError(null);
    setParams({ days: draft.days, minExamples: draft.minExamples, ...(draft.attributes.trim() ? { attributes: draft.attributes.trim() } : {}), ...(version ? { version } : {}), ...(draft.clusters ? {} : { clusters: '0' }) });
  };
  return (
    <section aria-labelledby="coverage-title">
      <p className="crumbs">
        <Link to={`${base}/datasets`}>Datasets</Link> / <Link to={`${base}/datasets/${encodeURIComponent(dataset)}${version ? `?version=${encodeURIComponent(version)}` : ''}`}>{dataset}</Link> /
      </p>
      <h1 id="coverage-title">Coverage of production by {dataset}</h1>
      <form className="filters" aria-label="Coverage window" onSubmit={apply}>
        <span>
          <label htmlFor="cov-days">Days</label> <input id="cov-days" type="number" min={1} max={365} value={draft.days} onChange={(e) => setDraft({ ...draft, days: e.target.value })} />
        </span>
        <span>
          <label htmlFor="cov-k">Examples a slice needs</label> <input id="cov-k" type="number" min={1} value={draft.minExamples} onChange={(e) => setDraft({ ...draft, minExamples: e.target.value })} />
        </span>
        <span>
          <label htmlFor="cov-attrs">Mapped attributes</label>{' '}
          <input id="cov-attrs" placeholder="lang=app.lang" value={draft.attributes} onChange={(e) => setDraft({ ...draft, attributes: e.target.value })} aria-describedby="cov-attrs-help" />
        </span>
        <span>
          <input id="cov-clusters" type="checkbox" checked={draft.clusters} onChange={(e) => setDraft({ ...draft, clusters: e.target.checked })} /> <label htmlFor="cov-clusters">Cluster what users ask</label>
        </span>
        <button type="submit">Measure</button>
        <span id="cov-attrs-help" className="muted">
          Spans' <code>evalops.slice.KEY</code> attributes are always read; map others as in the config's <code>coverage.attributes</code>.
        </span>
      </form>
      {formError && (
        <p className="state error" role="alert">
          {formError}
        </p>
      )}
      <QueryView query={query} what="the coverage">
        {(r) => (
          <>
            <p className="meta">
              Version <code>{r.dataset.version.slice(0, 12)}</code> · {r.dataset.examples} examples · {r.window.from.slice(0, 10)} → {r.window.to.slice(0, 10)} · {r.traces} traces, {r.sliced} with slice attributes
            </p>
            {r.coveredShare !== null && (
              <p className="coverage-headline">
                Dataset covers <strong>{pct(r.coveredShare)}</strong> of the last {r.window.days} days' traffic; {pct(r.uncoveredShare)} falls in slices with fewer than {r.minExamples} examples.
              </p>
            )}
            {r.notes.map((n) => (
              <p key={n} className="note">
                {n}
              </p>
            ))}
            <h2 id="cov-slices">Production share vs dataset share</h2>
            <table className="metrics coverage" aria-labelledby="cov-slices">
              <thead>
                <tr>
                  <th scope="col">Slice</th>
                  <th scope="col" className="num">Production</th>
                  <th scope="col" className="num">Dataset</th>
                  <th scope="col" className="num">Examples</th>
                  <th scope="col">Share (production above, dataset below)</th>
                  <th scope="col">Covered</th>
                </tr>
              </thead>
              <tbody>
                {r.slices.map((s) => (
                  <tr key={s.slice} className={s.covered ? undefined : 'failed'}>
                    <th scope="row">{s.slice}</th>
                    <td className="num">{pct(s.share)}</td>
                    <td className="num">{pct(s.datasetShare)}</td>
                    <td className="num">{s.examples}</td>
                    <td aria-hidden="true">
                      <div className="bar production" style={{ width: `${Math.round(s.share * 100)}%` }} />
                      <div className="bar dataset" style={{ width: `${Math.round(s.datasetShare * 100)}%` }} />
                    </td>
                    <td>{s.covered ? 'yes' : <span className="fail">no</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2 id="cov-uncovered">Uncovered slices</h2>
            {r.uncovered.length === 0 ? (
              <p className="state empty">No production traffic falls in a slice with fewer than {r.minExamples} examples.</p>
            ) : (
              <ul className="uncovered" aria-labelledby="cov-uncovered">
                {r.uncovered.map((s) => {
                  const promote = r.promote.find((p) => p.slice === s.slice);
                  return (
                    <li key={s.slice}>
                      <strong>{s.slice}</strong>: {pct(s.share)} of traffic, {s.examples} example{s.examples === 1 ? '' : 's'}
                      {s.exampleTraceIds.length > 0 && (
                        <>
                          {' '}
                          — e.g. <TraceLinks ids={s.exampleTraceIds} base={base} />
                        </>
                      )}
                      {promote && <CopyablePre lines={[promote.command]} label={`Promote ${s.slice}`} />}
                    </li>
                  );
                })}
              </ul>
            )}
            {r.clusters && <ClusterCoverageView c={r.clusters} base={base} />}
          </>
        )}
      </QueryView>
    </section>
  );
}

/** Example traces as short linked ids, comma-separated. */
function TraceLinks({ ids, base }: { ids: readonly string[]; base: string }) {
  return (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <Link to={`${base}/traces/${encodeURIComponent(id)}`}>
            <code>{id.slice(0, 12)}</code>
          </Link>
        </span>
      ))}
    </>
  );
}

/** The clusters of what users ask, most traffic first: those with too few examples are the gaps no slice attribute named. */
function ClusterCoverageView({ c, base }: { c: NonNullable<Coverage['clusters']>; base: string }) {
  const withTraffic = c.clusters.filter((x) => x.traffic > 0);
  return (
    <>
      <h2 id="cov-clusters-title">Clusters of what users ask</h2>
      <p className="coverage-headline cluster-headline">
        {c.coveredShare === null ? (
          'No sampled trace has an input to cluster.'
        ) : (
          <>
            Dataset covers <strong>{pct(c.coveredShare)}</strong> of the sampled traffic by clusters ({c.sampled} of {c.windowTraces} traces clustered with the dataset's examples).
          </>
        )}
      </p>
      {withTraffic.length > 0 && (
        <table className="metrics coverage" aria-labelledby="cov-clusters-title">
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col" className="num">Production</th>
              <th scope="col" className="num">Examples</th>
              <th scope="col">Covered</th>
              <th scope="col">Traces</th>
            </tr>
          </thead>
          <tbody>
            {withTraffic.map((x) => {
              const promote = c.promote.find((p) => p.cluster === x.id);
              return (
                <tr key={x.id} className={x.covered ? undefined : 'failed'}>
                  <th scope="row">
                    {x.name} <span className="muted">({x.id})</span>
                    {promote && <CopyablePre lines={[promote.command]} label={`Promote cluster ${x.id}`} />}
                  </th>
                  <td className="num">{pct(x.share)}</td>
                  <td className="num">{x.examples}</td>
                  <td>{x.covered ? 'yes' : <span className="fail">no</span>}</td>
                  <td>
                    <TraceLinks ids={x.exampleTraceIds} base={base} />
                  </td>
                </tr>
              );
            })}
            {c.unclustered.traffic > 0 && (
              <tr className="failed">
                <th scope="row">unclustered (shares no term with any cluster)</th>
                <td className="num">{pct(c.unclustered.share)}</td>
                <td className="num">0</td>
                <td>
                  <span className="fail">no</span>
                </td>
                <td>
                  <TraceLinks ids={c.unclustered.exampleTraceIds} base={base} />
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </>
  );
}

function clamp(x: number, lo: number, hi: number, fallback: number): number {
  return Number.isInteger(x) && x >= lo && x <= hi ? x : fallback;
}
