import { Link } from 'react-router';
import type { Column } from './data-table';
import { usd } from './format';
import { dur } from './span-waterfall';
import { FeedbackCell, timeOf, TraceStatus } from './trace-cells';
import type { TraceSummary } from './trace-types';

/** The columns of a trace list: time, root span, status, duration, tokens, cost, feedback (and session). */
export function traceColumns(project: string, { session = true }: { session?: boolean } = {}): Column<TraceSummary>[] {
  return [
    { header: 'Time', cell: (t) => <time dateTime={new Date(t.startTimeMs).toISOString()}>{timeOf(t.startTimeMs)}</time>, width: '11.5rem' },
    {
      header: 'Root span',
      cell: (t) => (
        <span>
          <span className={`kind kind-${t.kind.toLowerCase()}`}>{t.kind}</span> {t.name}
        </span>
      ),
      width: 'minmax(11rem, 2fr)',
    },
    { header: 'Status', cell: (t) => <TraceStatus errors={t.errors} />, width: '6rem' },
    { header: 'Duration', cell: (t) => dur(t.durationMs), numeric: true, width: '6rem' },
    { header: 'Tokens', cell: (t) => (t.inputTokens + t.outputTokens).toLocaleString('en'), numeric: true, width: '5.5rem' },
    { header: 'Cost', cell: (t) => usd(t.costUsd), numeric: true, width: '5.5rem' },
    { header: 'Feedback', cell: (t) => <FeedbackCell feedback={t.feedback} />, width: 'minmax(8rem, 1.3fr)' },
    ...(session
      ? [
          {
            header: 'Session',
            cell: (t: TraceSummary) =>
              t.sessionId ? (
                <Link to={`/p/${encodeURIComponent(project)}/sessions/${encodeURIComponent(t.sessionId)}`} onClick={(e) => e.stopPropagation()}>
                  {t.sessionId}
                </Link>
              ) : (
                <span className="muted">—</span>
              ),
            width: 'minmax(7rem, 1fr)',
          },
        ]
      : []),
  ];
}
