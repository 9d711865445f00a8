import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { usd } from '../components/format';
import { fetchOnlineRules } from '../components/online-api';
import { readRuleSpec, seconds, sessionFlags, share } from '../components/online-rule-spec';
import { Empty, QueryView } from '../components/states';

const flagsText = (flags: readonly string[]): ReactNode => (flags.length > 0 ? flags.join(', ') : <span className="muted">none</span>);

/** `/online`: the project's online rules — what they sample and score, what they scored, what they spent today. */
export function OnlineRulesPage() {
  const project = useParams().project ?? '';
  const query = useQuery({ queryKey: ['online-rules', project], queryFn: () => fetchOnlineRules(project) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="online-title">
      <h1 id="online-title">Online rules</h1>
      <p className="filters">
        <Link to={`${base}/monitors`}>Monitors</Link>
        <Link to={`${base}/alerts`}>Alerts</Link>
      </p>
      <QueryView query={query} what="online rules">
        {(data) =>
          data.rules.length === 0 ? (
            <Empty>
              No online rules yet. A rule samples production traces and scores them with your metrics: write one in <code>online.yaml</code> and run <code>evalops online apply online.yaml</code>.
            </Empty>
          ) : (
            <table className="metrics online-rules">
              <caption>Counts over every trace a rule scored (every session, for a rule that scores sessions); spend since midnight UTC.</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">State</th>
                  <th scope="col">Scores</th>
                  <th scope="col" className="num">
                    Sample rate
                  </th>
                  <th scope="col">Metrics</th>
                  <th scope="col" className="num">
                    Scored
                  </th>
                  <th scope="col" className="num">
                    Sampled
                  </th>
                  <th scope="col" className="num">
                    Flagged
                  </th>
                  <th scope="col" className="num">
                    Spent today
                  </th>
                  <th scope="col">Flags</th>
                </tr>
              </thead>
              <tbody>
                {data.rules.map((r) => {
                  const spec = readRuleSpec(r.spec);
                  return (
                    <tr key={r.id}>
                      <th scope="row">
                        <Link to={`${base}/online/${encodeURIComponent(r.name)}`}>{r.name}</Link>
                      </th>
                      <td>
                        <span className={`badge ${r.enabled ? 'rule-enabled' : 'rule-paused'}`}>{r.enabled ? 'enabled' : 'paused'}</span>
                      </td>
                      <td>{spec.session ? `sessions, ready after ${seconds(spec.session.idleSeconds)} idle` : 'traces'}</td>
                      <td className="num">{share(spec.sampleRate)}</td>
                      <td>{spec.metrics.map((m) => m.name).join(', ')}</td>
                      <td className="num">
                        {r.stats.traces} {spec.target}
                      </td>
                      <td className="num">{r.stats.sampled}</td>
                      <td className="num">{r.stats.flagged}</td>
                      <td className="num">{usd(r.stats.spentTodayUsd)}</td>
                      <td>{flagsText(spec.session ? sessionFlags(spec) : spec.flags)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </section>
  );
}
