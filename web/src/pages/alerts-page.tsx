import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { AlertStatusBadge, SeverityBadge } from '../components/alert-badge';
import { when } from '../components/format';
import { fetchAlerts, type Alert, type AlertFilter, type AlertStatus } from '../components/monitor-api';
import { Empty, QueryView } from '../components/states';

const FILTERS: Record<AlertFilter, string> = { all: 'All', unresolved: 'Unresolved', open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
const isFilter = (v: string | null): v is AlertFilter => v !== null && v in FILTERS;

/** Open first (nobody is on it), then acknowledged, then resolved; newest first within each. */
const RANK: Record<AlertStatus, number> = { open: 0, acknowledged: 1, resolved: 2 };
const unresolvedFirst = (alerts: readonly Alert[]): Alert[] => [...alerts].sort((a, b) => RANK[a.status] - RANK[b.status] || b.openedAt.localeCompare(a.openedAt));

/** `/alerts`: the project's alerts, unresolved first, filtered by status (kept in the address). */
export function AlertsPage() {
  const project = useParams().project ?? '';
  const [search, setSearch] = useSearchParams();
  const param = search.get('status');
  const status: AlertFilter = isFilter(param) ? param : 'all';
  const id = useId();
  const query = useQuery({ queryKey: ['alerts', project, status], queryFn: () => fetchAlerts(project, status) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <div className="filters">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setSearch(e.target.value === 'all' ? {} : { status: e.target.value })}>
          {Object.entries(FILTERS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <Link to={`${base}/monitors`}>Monitors</Link>
      </div>
      <QueryView query={query} what="alerts">
        {(data) =>
          data.alerts.length === 0 ? (
            <Empty>
              {status === 'all' ? (
                <>
                  No alerts yet. A monitor on an online rule opens one when its signal moves (<code>evalops monitors save …</code>); see the <Link to={`${base}/monitors`}>monitors</Link>.
                </>
              ) : (
                `No ${FILTERS[status].toLowerCase()} alerts.`
              )}
            </Empty>
          ) : (
            <table className="metrics alerts">
              <caption>{status === 'all' ? 'Unresolved first, then newest first.' : 'Newest first.'}</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Opened</th>
                  <th scope="col">Alert</th>
                  <th scope="col">Last moved by</th>
                </tr>
              </thead>
              <tbody>
                {unresolvedFirst(data.alerts).map((a) => (
                  <tr key={a.id} className={`alert-row ${a.status}`}>
                    <td>
                      <AlertStatusBadge status={a.status} />
                    </td>
                    <td>
                      <SeverityBadge severity={a.severity} />
                    </td>
                    <td className="nowrap">
                      <time dateTime={a.openedAt}>{when(a.openedAt)}</time>
                    </td>
                    <th scope="row">
                      <Link to={`${base}/alerts/${encodeURIComponent(a.id)}`}>{a.title}</Link>
                    </th>
                    <td>{a.resolvedBy ?? a.acknowledgedBy ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </section>
  );
}
