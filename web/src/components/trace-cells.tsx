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

/** ok, or the number of spans in error. */
export function TraceStatus({ errors }: { errors: number }) {
  return errors > 0 ? <span className="badge failed">{errors === 1 ? '1 error' : `${errors} errors`}</span> : <span className="badge completed">ok</span>;
}
