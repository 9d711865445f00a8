import type { AlertStatus } from './monitor-api';

/** An alert's status and severity as badges; the words carry them, the colour only repeats them. */

const STATUS_WORDS: Record<AlertStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  return <span className={`badge alert-${status}`}>{STATUS_WORDS[status]}</span>;
}

/** `page` wakes someone up; `ticket` waits for working hours. */
export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <span className={`badge severity-${severity === 'page' ? 'page' : 'other'}`} title={severity === 'page' ? 'pages the on-call person' : severity === 'ticket' ? 'handled in working hours' : undefined}>
      {severity}
    </span>
  );
}
