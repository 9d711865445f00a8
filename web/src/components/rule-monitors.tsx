import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { when } from './format';
import { fetchMonitors, type Monitor } from './monitor-api';
import { Empty, QueryView } from './states';

/** The state of a monitor's last evaluation, in the words and badge classes of the monitors page. */
function stateOf(m: Monitor): { readonly word: string; readonly className: string } {
  const e = m.lastEvaluation;
  if (e === null) return { word: 'not evaluated', className: 'monitor-never' };
  if (typeof e['error'] === 'string') return { word: 'error', className: 'monitor-error' };
  if (e['firing'] === true) return { word: 'FIRING', className: 'monitor-firing' };
  if (e['warmingUp'] === true) return { word: 'warming up', className: 'monitor-warming' };
  return { word: 'ok', className: 'monitor-ok' };
}

const detectorKind = (spec: Record<string, unknown>): string => {
  const d = spec['detector'];
  return typeof d === 'object' && d !== null && typeof (d as Record<string, unknown>)['kind'] === 'string' ? ((d as Record<string, unknown>)['kind'] as string) : 'cusum';
};

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
            No monitor watches this rule yet: <code>evalops monitors save …</code> with <code>rule: {rule}</code>.
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
                const state = stateOf(m);
                return (
                  <tr key={m.id}>
                    <th scope="row">
                      {m.name}
                      {!m.enabled && <span className="muted"> (paused)</span>}
                    </th>
                    <td>
                      {String(m.spec['metric'])}
                      {typeof m.spec['release'] === 'string' && <span className="muted"> of {m.spec['release']}</span>}
                    </td>
                    <td>{detectorKind(m.spec)}</td>
                    <td>
                      <span className={`badge ${state.className}`}>{state.word}</span>
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
