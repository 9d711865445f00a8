import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { when } from './format';
import { fetchMonitors } from './monitor-api';
import { detectorInWords, MONITOR_STATE_WORDS, monitorState } from './monitor-state';
import { MonitorLifecycle } from './monitor-lifecycle';
import { Empty, QueryView } from './states';

/** The monitors that watch one online rule (a monitor names its rule in `spec.rule`), with their state and open alert. */
export function RuleMonitors({ project, rule }: { project: string; rule: string }) {
  const query = useQuery({ queryKey: ['monitors', project], queryFn: () => fetchMonitors(project) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <QueryView query={query} what="monitors">
      {(data) => {
        const mine = data.monitors.filter((m) => m.spec['rule'] === rule);
        return mine.length === 0 ? (
          <Empty>
            No monitor watches this rule yet: add one with <code>rule: {rule}</code> to an online file and run <code>evalops online apply</code>.
          </Empty>
        ) : (
          <table className="metrics rule-monitors">
            <caption>Monitors of rule {rule}, with the state of their last evaluation.</caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">Metric</th>
                <th scope="col">Detector</th>
                <th scope="col">State</th>
                <th scope="col">Open alert</th>
              </tr>
            </thead>
            <tbody>
              {mine.map((m) => {
                const state = monitorState(m);
                return (
                  <tr key={m.id}>
                    <th scope="row">
                      {m.name}
                      {!m.enabled && <span className="muted"> (disabled)</span>}
                        <MonitorLifecycle monitor={m} />
                    </th>
                    <td>
                      {String(m.spec['metric'])}
                      {typeof m.spec['release'] === 'string' && <span className="muted"> of {m.spec['release']}</span>}
                    </td>
                    <td>{detectorInWords(m.spec)}</td>
                    <td>
                      <span className={`badge monitor-${state}`}>{MONITOR_STATE_WORDS[state]}</span>
                      {m.evaluatedAt && <div className="muted">at {when(m.evaluatedAt)}</div>}
                    </td>
                    <td>
                      {m.openAlert ? (
                        <Link to={`${base}/alerts/${encodeURIComponent(m.openAlert)}`}>
                          Open alert<span className="visually-hidden"> of {m.name}</span>
                        </Link>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        );
      }}
    </QueryView>
  );
}
