import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { interval, pct, usd, when } from '../components/format';
import { OverrideForm } from '../components/override-form';
import { OutcomeBadge, ReleaseBadge, type ReleaseStatus } from '../components/outcome-badge';
import { Sparkline } from '../components/sparkline';
import { LatestDecisions } from '../components/latest-decisions';
import { JudgeStatusBadge } from '../components/judge-status-badge';
import { ReviewBurden } from '../components/review-burden';
import { Empty, QueryView } from '../components/states';
import { useSession } from '../session/session-context';

/** `/`: a project key goes to its project; an instance-wide key picks one. */
export function ProjectPicker() {
  const { session } = useSession();
  const projects = useQuery({ queryKey: ['projects'], queryFn: async () => unwrap(await api.GET('/projects')) });
  if (session.project) return <Navigate to={`/p/${encodeURIComponent(session.project)}`} replace />;
  return (
    <section aria-labelledby="projects-title">
      <h1 id="projects-title">Projects</h1>
      <QueryView query={projects} what="projects">
        {(data) =>
          data.projects.length === 0 ? (
            <Empty>No projects yet. `evalops run` creates one.</Empty>
          ) : (
            <ul className="cards">
              {data.projects.map((p) => (
                <li key={p.name}>
                  <Link to={`/p/${encodeURIComponent(p.name)}`}>{p.name}</Link>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

/**
 * The project's home, for release control: what is live and in canary (with its traffic), the gate
 * decisions that wait for an owner (approve them here, for a role that may), the open alerts, then the
 * scorecard with intervals, trend and cost per successful run.
 */
export function ScorecardPage() {
  const project = useParams().project ?? '';
  return (
    <section aria-labelledby="home-title" className="home">
      <h1 id="home-title">Release control · {project}</h1>
      <div className="home-panels">
        <ReleasesNow project={project} />
        <AwaitingOwner project={project} />
        <OpenAlerts project={project} />
      </div>
      <Scorecard project={project} />
    </section>
  );
}

/** Live and canary releases with their share of traffic. */
function ReleasesNow({ project }: { project: string }) {
  const base = `/p/${encodeURIComponent(project)}`;
  const query = useQuery({ queryKey: ['releases', project, ''], queryFn: async () => unwrap(await api.GET('/projects/{project}/releases', { params: { path: { project }, query: {} } })) });
  return (
    <section aria-labelledby="now-title" className="panel">
      <h2 id="now-title">Live and in canary</h2>
      <QueryView query={query} what="releases">
        {(data) => {
          const serving = data.releases.filter((r) => r.status === 'live' || r.status === 'canary');
          return serving.length === 0 ? (
            <Empty>Nothing is live yet. An approved gate decision starts a release.</Empty>
          ) : (
            <ul className="plain">
              {serving.map((r) => (
                <li key={r.id}>
                  <Link to={`${base}/releases/${r.id}`}>{r.names[0] ?? r.variantName}</Link> <ReleaseBadge status={r.status as ReleaseStatus} canaryPercent={r.canaryPercent} hold={r.hold} />{' '}
                  <span className="traffic">{r.trafficPercent}% of traffic</span>
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}

type DecisionRow = { decisionId: string; createdAt: string; effectiveOutcome: 'approve' | 'narrow' | 'require_approval' | 'block'; effectiveRolloutPercent?: number | null; variantName: string; summary: string; owners: string[] };

/** Decisions whose outcome in force asks an owner's approval; an owner (or admin) approves from here. */
function AwaitingOwner({ project }: { project: string }) {
  const { can } = useSession();
  const base = `/p/${encodeURIComponent(project)}`;
  // The decisions whose form was opened stay listed, so the form's message stays readable after approval.
  const [opened, setOpened] = useState<Record<string, DecisionRow>>({});
  const query = useQuery({ queryKey: ['gate-decisions', project, 'home'], queryFn: async () => unwrap(await api.GET('/projects/{project}/gate-decisions', { params: { path: { project }, query: { limit: 200 } } })) });
  return (
    <section aria-labelledby="owner-title" className="panel">
      <h2 id="owner-title">Waiting for an owner</h2>
      <QueryView query={query} what="gate decisions">
        {(data) => {
          const waiting = data.decisions.filter((d) => d.effectiveOutcome === 'require_approval' || opened[d.decisionId]);
          return waiting.length === 0 ? (
            <Empty>No decision waits for an owner.</Empty>
          ) : (
            <ul className="plain">
              {waiting.map((d) => (
                <li key={d.decisionId}>
                  <Link to={`${base}/decisions/${d.decisionId}`}>
                    <OutcomeBadge outcome={d.effectiveOutcome} rolloutPercent={d.effectiveRolloutPercent} /> {d.variantName}
                  </Link>{' '}
                  <span className="muted">
                    {when(d.createdAt)} · asks {d.owners.length ? d.owners.join(', ') : 'a gate admin'}
                  </span>
                  {can('owner') &&
                    (opened[d.decisionId] ? (
                      <OverrideForm decisionId={d.decisionId} project={project} mayOverride="The server checks that you own every failed metric or are a gate admin." />
                    ) : (
                      <>
                        {' '}
                        <button type="button" className="secondary" onClick={() => setOpened({ ...opened, [d.decisionId]: d })} aria-label={`Approve ${d.variantName} (decision ${d.decisionId})…`}>
                          Approve…
                        </button>
                      </>
                    ))}
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}

/** Alerts not resolved yet, newest first. */
function OpenAlerts({ project }: { project: string }) {
  const base = `/p/${encodeURIComponent(project)}`;
  const query = useQuery({ queryKey: ['alerts', project, 'unresolved', 'home'], queryFn: async () => unwrap(await api.GET('/projects/{project}/alerts', { params: { path: { project }, query: { status: 'unresolved', limit: 20 } } })) });
  return (
    <section aria-labelledby="alerts-title" className="panel">
      <h2 id="alerts-title">Open alerts</h2>
      <QueryView query={query} what="alerts">
        {(data) =>
          data.alerts.length === 0 ? (
            <Empty>No open alert.</Empty>
          ) : (
            <ul className="plain">
              {data.alerts.map((a) => (
                <li key={a.id}>
                  <span className={`badge ${a.severity}`}>{a.severity}</span> <Link to={`${base}/alerts/${a.id}`}>{a.title}</Link> <span className="muted">{a.status} · opened {when(a.openedAt)}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

/** The scorecard: every metric with owner, failure class, lifecycle, value with its interval, trend and gates; cost per successful run. */
function Scorecard({ project }: { project: string }) {
  const card = useQuery({ queryKey: ['scorecard', project], queryFn: async () => unwrap(await api.GET('/projects/{project}/scorecard', { params: { path: { project }, query: { runs: 10 } } })) });
  return (
    <section aria-labelledby="scorecard-title">
      <h2 id="scorecard-title">Scorecard · {project}</h2>
      <LatestDecisions project={project} />
      <QueryView query={card} what="the scorecard">
        {(data) =>
          data.metrics.length === 0 ? (
            <Empty>No completed runs yet. Run <code>evalops run</code> to score the first one.</Empty>
          ) : (
            <>
              {data.warnings.map((w) => (
                <p key={w} className="warning">
                  {w}
                </p>
              ))}
              <table className="metrics">
                <caption>Over the last {data.runs} completed runs, newest value first; the interval is the 95% Wilson interval of the newest run.</caption>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Failure class</th>
                    <th scope="col">Lifecycle</th>
                    <th scope="col" className="num">Current</th>
                    <th scope="col">95% interval</th>
                    <th scope="col">Trend</th>
                    <th scope="col">Gates</th>
                  </tr>
                </thead>
                <tbody>
                  {data.metrics.map((m) => (
                    <tr key={m.name}>
                      <th scope="row">
                        {m.name}
                        {m.calibration && (
                          <>
                            {' '}
                            <JudgeStatusBadge status={m.calibration} />
                          </>
                        )}
                      </th>
                      <td>{m.owner ?? '—'}</td>
                      <td>{m.failureClass ?? '—'}</td>
                      <td>
                        {m.lifecycle}
                        {m.recommendation ? <span className="hint"> → {m.recommendation.recommended}?</span> : null}
                      </td>
                      <td className="num">
                        {m.current ? (
                          <Link to={`/p/${encodeURIComponent(project)}/runs/${m.current.runId}`}>
                            {pct(m.current.passRate)} <span className="muted">n={m.current.n}</span>
                          </Link>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{interval(m.current?.ci95)}</td>
                      <td>
                        <Sparkline label={`${m.name} pass rate, oldest first`} values={[...m.trend].reverse().map((t) => t.passRate)} />
                      </td>
                      <td>{m.gates.length ? m.gates.map((g) => `${g.action}: ${g.rule}`).join('; ') : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <CostPerSuccess costs={data.costs} />
              <ReviewBurden project={project} burden={data.review} />
            </>
          )
        }
      </QueryView>
    </section>
  );
}

/** Cost per successful result of the newest run, and its trend over the runs of the scorecard. */
function CostPerSuccess({ costs }: { costs: readonly { runId: string; costUsd: number; costPerSuccessUsd: number | null }[] }) {
  const newest = costs[0];
  if (!newest) return null;
  return (
    <p className="cost-per-success">
      Cost per successful result: <strong>{usd(newest.costPerSuccessUsd)}</strong> (newest run, {usd(newest.costUsd)} in all){' '}
      <Sparkline label="cost per successful result, oldest first" values={[...costs].reverse().map((c) => c.costPerSuccessUsd)} max={Math.max(0, ...costs.map((c) => c.costPerSuccessUsd ?? 0))} format={usd} />
    </p>
  );
}
