import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useSession } from '../session/session-context';
import { CopyablePre } from '../components/copyable-pre';
import { pct, variantName, when } from '../components/format';
import { fetchAlerts } from '../components/monitor-api';
import { Empty, QueryView } from '../components/states';
import { TriageClusterCard } from '../components/triage-cluster-card';
import { fetchTriage, sourceOf, sourceTitle, triageHref, type TriageAnswer, type TriageCluster, type TriageSource } from '../components/triage-source';

/**
 * `/p/:project/triage?…`: the failure clusters of a run, a comparison, an alert or a trace filter,
 * with the triage report around them — what moved (for an alert), the clusters, the suggested actions
 * and the commands, copyable — and, for engineers, the promotion of a cluster into a dataset version.
 * Without a source in the URL, the page offers the newest runs and the unresolved alerts to triage.
 */
export function TriagePage() {
  const project = useParams().project ?? '';
  const [search] = useSearchParams();
  const source = sourceOf(search);
  const key = search.toString();
  const report = useQuery({ queryKey: ['triage', project, key], enabled: source !== null, queryFn: () => fetchTriage(project, source!) });
  if (source === null) return <TriageChooser project={project} />;
  return (
    <section aria-labelledby="triage-title" className="triage-page">
      <p className="crumbs">
        <Link to={sourceHref(project, source)}>{sourceLink(source)}</Link> ›
      </p>
      <h1 id="triage-title">Triage: {sourceTitle(source)}</h1>
      <QueryView query={report} what="the failure clusters">
        {(r) => <TriageReportView project={project} source={source} report={r} />}
      </QueryView>
    </section>
  );
}

function TriageReportView({ project, source, report: r }: { project: string; source: TriageSource; report: TriageAnswer }) {
  const { can } = useSession();
  const clusters = r.clusters;
  const datasetOf = (id: string): string => r.suggestedActions.find((a) => a.action === 'promote' && a.cluster === id)?.command?.match(/--dataset (\S+)/)?.[1] ?? r.commands.find((c) => c.command.includes(`--promote ${id} `))?.command.match(/--dataset (\S+)/)?.[1] ?? 'triage-regressions';
  const ran = r.commands.filter((c) => c.status === 'ran');
  const toRun = r.commands.filter((c) => c.status === 'to_run');
  return (
    <>
      <p className="meta">
        {r.items} failing item{r.items === 1 ? '' : 's'} clustered{r.total > r.items ? ` of ${r.total} (the limit cut the rest)` : ''} · {clusters.filter((c) => c.id !== 'noise').length} cluster
        {clusters.filter((c) => c.id !== 'noise').length === 1 ? '' : 's'}
      </p>
      {r.whatMoved && (
        <section aria-labelledby="moved-title">
          <h2 id="moved-title">What moved</h2>
          <p className="alert-summary">{r.whatMoved.summary}</p>
          <dl className="facts alert-facts">
            {(
              [
                ['Monitor', r.whatMoved.monitor],
                ['Metric', r.whatMoved.metric],
                ['Baseline', pct(r.whatMoved.baseline)],
                ['Current', pct(r.whatMoved.current)],
                ['Change', r.whatMoved.delta === null ? '—' : `${(r.whatMoved.delta * 100).toFixed(1)} points`],
                ['Release', r.whatMoved.release ? `${r.whatMoved.release}${r.whatMoved.live ? ` (live ${r.whatMoved.live})` : ''}` : 'all releases'],
                ['Since', when(r.whatMoved.since)],
                ['Detected', when(r.whatMoved.detectedAt)],
                ['Owner', r.whatMoved.owner ?? '—'],
              ] as const
            ).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <h2 id="clusters-title">Failure clusters</h2>
      {clusters.length === 0 ? (
        <Empty>No failing items: nothing to cluster.</Empty>
      ) : (
        <>
          <table className="metrics cluster-summary" aria-labelledby="clusters-title">
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col" className="num">
                  Share
                </th>
                <th scope="col">Concentrates most in</th>
                <th scope="col">Failing metrics</th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={`#cluster-${c.id}`}>{c.id}</a>
                  </th>
                  <td>{c.id === 'noise' ? 'Unclustered items' : c.name}</td>
                  <td className="num">{c.size}</td>
                  <td className="num">{pct(c.share)}</td>
                  <td>{mostEnriched(c)}</td>
                  <td>{c.failingMetrics.map((m) => m.metric).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!can('engineer') && <p className="hint">Promoting a cluster into a dataset needs the engineer role.</p>}
          <div className="clusters">
            {clusters.map((c) => (
              <TriageClusterCard key={c.id} project={project} source={source} cluster={c} suggestedDataset={datasetOf(c.id)} />
            ))}
          </div>
        </>
      )}
      <h2 id="actions-title">Suggested actions</h2>
      {r.suggestedActions.length === 0 ? (
        <Empty>Nothing to suggest.</Empty>
      ) : (
        <ul className="suggested-actions" aria-labelledby="actions-title">
          {r.suggestedActions.map((a, i) => (
            <li key={`${a.action}-${a.cluster ?? ''}-${i}`}>
              <span className={`badge action-${a.action}`}>{a.action.replace('_', ' ')}</span>
              {a.cluster && (
                <>
                  {' '}
                  <a href={`#cluster-${a.cluster}`}>{a.cluster}</a>
                </>
              )}
              : {a.why}
              {a.command && (
                <div>
                  <code className="command">{a.command}</code>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2 id="commands-title">Commands</h2>
      <table className="metrics commands-table" aria-labelledby="commands-title">
        <thead>
          <tr>
            <th scope="col">Command</th>
            <th scope="col">Purpose</th>
            <th scope="col">Status</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {r.commands.map((c) => (
            <tr key={c.command}>
              <td>
                <code className="command">{c.command}</code>
              </td>
              <td>{c.purpose}</td>
              <td>
                <span className={`badge ${c.status === 'ran' ? 'completed' : 'incomplete'}`}>{c.status === 'ran' ? 'ran' : 'to run'}</span>
              </td>
              <td>{c.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ran.length > 0 && <CopyablePre lines={ran.map((c) => c.command)} label="Commands triage ran" />}
      {toRun.length > 0 && <CopyablePre lines={toRun.map((c) => c.command)} label="Commands to run next" />}
      <details className="markdown-report">
        <summary>The report as Markdown</summary>
        <CopyablePre lines={r.markdown.split('\n')} label="Triage report (Markdown)" />
      </details>
    </>
  );
}

/** The slice or release the cluster is most enriched in, with its enrichment. */
function mostEnriched(c: TriageCluster): string {
  const all = [...c.slices.map((s) => ({ name: s.slice, enrichment: s.enrichment })), ...c.releases.map((r) => ({ name: `release ${r.release}`, enrichment: r.enrichment }))];
  const top = all.sort((a, b) => b.enrichment - a.enrichment)[0];
  return top ? `${top.name} (×${top.enrichment.toFixed(1)})` : '—';
}

/** The page a source comes from. */
function sourceHref(project: string, s: TriageSource): string {
  const base = `/p/${encodeURIComponent(project)}`;
  switch (s.kind) {
    case 'run':
      return `${base}/runs/${encodeURIComponent(s.runId)}`;
    case 'compare':
      return `${base}/compare?baseline=${encodeURIComponent(s.baselineRunId)}&candidate=${encodeURIComponent(s.candidateRunId)}`;
    case 'alert':
      return `${base}/alerts/${encodeURIComponent(s.alertId)}`;
    case 'traces': {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(s.filter)) if (k !== 'since' && k !== 'until') for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
      const qs = q.toString();
      return `${base}/traces${qs ? `?${qs}` : ''}`;
    }
  }
}

function sourceLink(s: TriageSource): string {
  return s.kind === 'run' ? 'Run' : s.kind === 'compare' ? 'Comparison' : s.kind === 'alert' ? 'Alert' : 'Traces';
}

/** With no source chosen: the newest runs and the unresolved alerts, each a link to its triage. */
function TriageChooser({ project }: { project: string }) {
  const runs = useQuery({ queryKey: ['runs', project, 'triage'], queryFn: async () => unwrap(await api.GET('/projects/{project}/runs', { params: { path: { project }, query: { limit: 10 } } })) });
  const alerts = useQuery({ queryKey: ['alerts', project, 'unresolved'], queryFn: () => fetchAlerts(project, 'unresolved', 20) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="triage-title" className="triage-page">
      <h1 id="triage-title">Triage</h1>
      <p className="hint">
        Triage groups failing items into failure modes. Open it from a run, a <Link to={`${base}/compare`}>comparison</Link>, an alert or the <Link to={`${base}/traces`}>traces</Link> (a filter), or
        pick one here.
      </p>
      <h2 id="triage-runs">Newest runs</h2>
      <QueryView query={runs} what="runs">
        {(d) =>
          d.runs.length === 0 ? (
            <Empty>No runs yet.</Empty>
          ) : (
            <ul aria-labelledby="triage-runs" className="triage-sources">
              {d.runs.map((r) => (
                <li key={r.runId}>
                  <Link to={triageHref(project, { kind: 'run', runId: r.runId })}>Triage run {r.runId}</Link> <span className="muted">{variantName(r.target)} · {when(r.startedAt)}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      <h2 id="triage-alerts">Unresolved alerts</h2>
      <QueryView query={alerts} what="alerts">
        {(d) =>
          d.alerts.length === 0 ? (
            <Empty>No unresolved alert.</Empty>
          ) : (
            <ul aria-labelledby="triage-alerts" className="triage-sources">
              {d.alerts.map((a) => (
                <li key={a.id}>
                  <Link to={triageHref(project, { kind: 'alert', alertId: a.id })}>Triage: {a.title}</Link> <span className="muted">opened {when(a.openedAt)}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
