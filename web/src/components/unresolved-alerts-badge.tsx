import { useQuery } from '@tanstack/react-query';
import { fetchAlerts } from './monitor-api';

/** Unresolved alerts are counted up to this; past it the badge says "200+". */
const CAP = 200;

/**
 * The number of unresolved alerts of a project as a small badge beside a link to the alerts, polled
 * every 30 s; nothing when there are none (or while loading, or when the key may not read them).
 */
export function UnresolvedAlertsBadge({ project }: { project: string }) {
  const query = useQuery({ queryKey: ['alerts', project, 'unresolved', 'count'], queryFn: () => fetchAlerts(project, 'unresolved', CAP), refetchInterval: 30_000, retry: false });
  const n = query.data?.alerts.length ?? 0;
  if (n === 0) return null;
  const shown = n >= CAP ? `${CAP}+` : String(n);
  return (
    <span className="count-badge" title={`${shown} unresolved ${n === 1 ? 'alert' : 'alerts'}`}>
      {shown}
      <span className="visually-hidden"> unresolved</span>
    </span>
  );
}
