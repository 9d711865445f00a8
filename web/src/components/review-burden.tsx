import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { paths } from '../api/schema.gen';
import { pct } from './format';
import { fetchQueues, minutes } from './review-api';

/** The scorecard's figures of what review costs (src/review/review-burden.ts). */
type Burden = NonNullable<paths['/projects/{project}/scorecard']['get']['responses'][200]['content']['application/json']['review']>;

/**
 * What human review costs the team, on the scorecard: the share of run results routed to reviewers,
 * minutes per label and the items still waiting — a system that works only by shifting work to
 * humans is not working.
 */
export function ReviewBurden({ project, burden: b }: { project: string; burden: Burden | null }) {
  const queues = useQuery({ queryKey: ['review-queues', project], queryFn: () => fetchQueues(project) });
  if (queues.isPending || b === null) return null;
  if (queues.error) {
    return (
      <p className="muted" role="status">
        Reviewer burden unavailable: {queues.error.message}
      </p>
    );
  }
  const open = queues.data.queues.reduce((n, q) => n + q.progress.items - q.progress.complete, 0);
  const disputed = queues.data.queues.reduce((n, q) => n + q.progress.disputed, 0);
  return (
    <section className="review-burden" aria-labelledby="burden-title">
      <h2 id="burden-title">
        Reviewer burden <Link to={`/p/${encodeURIComponent(project)}/review`} className="more">review queues</Link>
      </h2>
      {queues.data.queues.length === 0 ? (
        <p className="muted">No review queues yet: nothing is routed to humans.</p>
      ) : (
        <dl className="facts">
          <div>
            <dt>Results routed to humans</dt>
            <dd>
              {pct(b.routedShare)} <span className="muted">({b.routedResults} of {b.resultsInRoutedRuns})</span>
            </dd>
          </div>
          <div>
            <dt>Time per label</dt>
            <dd>{b.minutesPerLabel === null ? '—' : minutes(b.minutesPerLabel * 60)}</dd>
          </div>
          <div>
            <dt>Labels</dt>
            <dd>{b.labels}</dd>
          </div>
          <div>
            <dt>Open items</dt>
            <dd>{open}</dd>
          </div>
          <div>
            <dt>Disputed</dt>
            <dd>{disputed}</dd>
          </div>
          <div>
            <dt>Settled</dt>
            <dd>{b.settled}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
