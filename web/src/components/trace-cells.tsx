import type { FeedbackSummary } from './trace-types';

/** Small cells shared by the trace and session lists. */

/** Epoch milliseconds as local-free UTC text, as the CLI prints them. */
export const timeOf = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** Thumbs, comments and the mean of each signal; a dash when there is none. */
export function FeedbackCell({ feedback }: { feedback: FeedbackSummary }) {
  if (feedback.count === 0) return <span className="muted">—</span>;
  const signals = Object.entries(feedback.signals).map(([name, s]) => `${name} ${s.mean.toFixed(2)}`);
  const parts = [feedback.up ? `${feedback.up} up` : '', feedback.down ? `${feedback.down} down` : '', feedback.comments ? `${feedback.comments} comment${feedback.comments === 1 ? '' : 's'}` : '', ...signals].filter(Boolean);
  return <span className={`feedback${feedback.down ? ' negative' : ''}`}>{parts.join(' · ') || `${feedback.count}`}</span>;
}

/** A span's status in the words the API uses (unset, ok, error): the one formatter of every trace page. */
export function SpanStatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status === 'error' ? 'failed' : status === 'ok' ? 'completed' : 'unset'}`}>{status}</span>;
}

/** A trace's status: its root span's, and how many spans are in error when any is. */
export function TraceStatus({ status, errors }: { status: string; errors: number }) {
  return (
    <span>
      <SpanStatusBadge status={status} />
      {errors > 0 && <span className="fail"> {errors === 1 ? '1 span in error' : `${errors} spans in error`}</span>}
    </span>
  );
}

/** The online rules' verdicts on a trace, one badge per metric: pass, FAIL, or the scorer's status. */
export function OnlineBadges({ online }: { online?: readonly { metric: string; status: string; pass: boolean | null }[] }) {
  if (!online || online.length === 0) return <span className="muted">—</span>;
  return (
    <span className="online-badges">
      {online.map((s, i) => {
        const verdict = s.status !== 'scored' ? s.status : s.pass === null ? 'scored' : s.pass ? 'pass' : 'FAIL';
        return (
          <span key={`${s.metric}-${i}`} className={`badge ${verdict === 'pass' ? 'pass' : verdict === 'FAIL' ? 'fail' : 'skipped'}`} title={`online ${s.metric}: ${verdict}`}>
            {s.metric} {verdict}
          </span>
        );
      })}
    </span>
  );
}
