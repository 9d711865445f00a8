import { useQuery } from '@tanstack/react-query';
import { Link, Navigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { pct } from '../components/format';
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

/** The project's scorecard: every metric with owner, failure class, lifecycle, value, trend and gates. */
export function ScorecardPage() {
  const project = useParams().project ?? '';
  const card = useQuery({ queryKey: ['scorecard', project], queryFn: async () => unwrap(await api.GET('/projects/{project}/scorecard', { params: { path: { project }, query: { runs: 10 } } })) });
  return (
    <section aria-labelledby="scorecard-title">
      <h1 id="scorecard-title">Scorecard · {project}</h1>
      <LatestDecisions project={project} />
      <QueryView query={card} what="the scorecard">
        {(data) =>
          data.metrics.length === 0 ? (
            <Empty>No completed runs yet. Run `evalops run` to score the first one.</Empty>
          ) : (
            <>
              {data.warnings.map((w) => (
                <p key={w} className="warning">
                  {w}
                </p>
              ))}
              <table className="metrics">
                <caption>Over the last {data.runs} completed runs, newest value first.</caption>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Failure class</th>
                    <th scope="col">Lifecycle</th>
                    <th scope="col" className="num">Current</th>
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
                      <td>
                        <Sparkline label={`${m.name} pass rate, oldest first`} values={[...m.trend].reverse().map((t) => t.passRate)} />
                      </td>
                      <td>{m.gates.length ? m.gates.map((g) => `${g.action}: ${g.rule}`).join('; ') : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ReviewBurden project={project} burden={data.review} />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
