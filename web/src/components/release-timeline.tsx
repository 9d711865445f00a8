import { Link } from 'react-router';
import type { Release } from './gate-api';
import { when } from './format';
import { outcomeInWords, releaseInWords, type ReleaseStatus } from './outcome-badge';

type HistoryEntry = Release['history'][number];

const STAGES: readonly ReleaseStatus[] = ['candidate', 'approved', 'canary', 'live', 'rolled_back'];

/** What a transition did, in words: "Gate outcome: Blocked" (a decision or an override), "Promoted to canary at 10%", "Rolled back: …". */
function describeEvent(e: HistoryEntry): string {
  switch (e.event.type) {
    case 'gate':
      return `Gate outcome: ${outcomeInWords(e.event.outcome, e.event.rolloutPercent)}`;
    case 'promote':
      return `Promoted to ${releaseInWords(e.to.status, e.to.canaryPercent).toLowerCase()}`;
    case 'rollback':
      return `Rolled back: ${e.event.reason}`;
    case 'narrow':
      return `Narrowed to ${e.event.percent}%: ${e.event.reason}`;
  }
}

/**
 * A release's way out — candidate → approved → canary → live → rolled back — with the stages it
 * reached (who moved it there, and when), then every transition from the audit log.
 */
export function ReleaseTimeline({ release, project }: { release: Release; project: string }) {
  const reached = new Map<ReleaseStatus, HistoryEntry | null>([['candidate', null]]);
  for (const h of release.history) if (!reached.has(h.to.status)) reached.set(h.to.status, h);
  return (
    <>
      <ol className="timeline" aria-label="Release stages">
        {STAGES.map((stage) => {
          const entry = reached.get(stage);
          const isReached = reached.has(stage);
          const current = release.status === stage;
          return (
            <li key={stage} className={`stage${isReached ? ' reached' : ''}${current ? ' current' : ''}${stage === 'rolled_back' ? ' back' : ''}`} aria-current={current ? 'step' : undefined}>
              <span className="dot" aria-hidden="true" />
              <strong>{releaseInWords(stage, current ? release.canaryPercent : (entry?.to.canaryPercent ?? null), current ? release.hold : null)}</strong>
              <span className="muted">
                {stage === 'candidate' ? `since ${when(release.createdAt)}` : entry ? `${entry.actor} · ${when(entry.at)}` : isReached ? '' : 'not reached'}
              </span>
              {current && <span className="visually-hidden"> (current)</span>}
            </li>
          );
        })}
      </ol>
      <h2>History</h2>
      {release.history.length === 0 ? (
        <p className="state empty">No transitions yet.</p>
      ) : (
        <ol className="events" aria-label="Release history">
          {[...release.history].reverse().map((h) => (
            <li key={h.seq}>
              <time dateTime={h.at}>{when(h.at)}</time>
              <span className="actor">{h.actor}</span>
              <span>
                {describeEvent(h)}
                {h.event.type === 'gate' && h.event.decisionId ? (
                  <>
                    {' '}
                    (<Link to={`/p/${encodeURIComponent(project)}/decisions/${h.event.decisionId}`}>decision</Link>)
                  </>
                ) : null}
              </span>
              <span className="muted">
                {releaseInWords(h.from.status, h.from.canaryPercent)} → {releaseInWords(h.to.status, h.to.canaryPercent)} · audit #{h.seq}
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
