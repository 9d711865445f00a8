import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { pct, when } from '../components/format';
import { fetchMonitors, type Monitor } from '../components/monitor-api';
import { Empty, QueryView } from '../components/states';
import { detectorInWords, MONITOR_STATE_WORDS, monitorState } from '../components/monitor-state';
import { ArmingCell, DetectabilityCell } from '../components/monitor-outlook';
import { UnresolvedAlertsBadge } from '../components/unresolved-alerts-badge';
import { MonitorLifecycle } from '../components/monitor-lifecycle';

/** `/monitors`: every monitor with its signal, detector, state, last summary and open alert. */
export function MonitorsPage() {
  const project = useParams().project ?? '';
  const query = useQuery({ queryKey: ['monitors', project], queryFn: () => fetchMonitors(project) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="monitors-title">
      <h1 id="monitors-title">Monitors</h1>
      <p className="filters">
        <span>
          <Link to={`${base}/alerts`}>Alerts</Link> <UnresolvedAlertsBadge project={project} />
        </span>
      </p>
      <QueryView query={query} what="monitors">
        {(data) =>
          data.monitors.length === 0 ? (
            <Empty>
              No monitors yet. A monitor watches a metric of an online rule (change detection, a threshold, or a canary against live): <code>evalops monitors save …</code>.
            </Empty>
          ) : (
            <table className="metrics monitors">
              <caption>Evaluated by the worker every few seconds.</caption>
              <thead>
                <tr>
                  <th scope="col">Monitor</th>
                  <th scope="col">Signal</th>
                  <th scope="col">Detector</th>
                  <th scope="col">State</th>
                  <th scope="col">Arms</th>
                  <th scope="col">Can detect</th>
                  <th scope="col">Last evaluation</th>
                  <th scope="col">Open alert</th>
                </tr>
              </thead>
              <tbody>
                {data.monitors.map((m) => {
                  const state = monitorState(m);
                  const e = m.lastEvaluation ?? {};
                  const summary = typeof e['error'] === 'string' ? e['error'] : typeof e['summary'] === 'string' ? e['summary'] : null;
                  return (
                    <tr key={m.id}>
                      <th scope="row">
                        {m.name}
                        {!m.enabled && <span className="muted"> (disabled)</span>}
                        <MonitorLifecycle monitor={m} />
                      </th>
                      <td>
                        {String(m.spec['metric'])} <span className="muted">of rule {String(m.spec['rule'])}</span>
                      </td>
                      <td>{detectorInWords(m.spec)}</td>
                      <td>
                        <span className={`badge monitor-${state}`}>{MONITOR_STATE_WORDS[state]}</span>
                      </td>
                      <td>
                        <ArmingCell monitor={m} />
                      </td>
                      <td>
                        <DetectabilityCell monitor={m} />
                      </td>
                      <td>
                        {summary ?? '—'}
                        {m.evaluatedAt && <div className="muted">at {when(m.evaluatedAt)}</div>}
                      </td>
                      <td>{m.openAlert ? (
                          <Link to={`${base}/alerts/${encodeURIComponent(m.openAlert)}`}>
                            Open alert<span className="visually-hidden"> of {m.name}</span>
                          </Link>
                        ) : <span className="muted">none</span>}</td>
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
