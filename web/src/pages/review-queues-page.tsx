import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { QueueProgressBar, ReviewerProgress } from '../components/queue-progress';
import { fetchQueues } from '../components/review-api';
import { Empty, QueryView } from '../components/states';
import '../review.css';

/** `/review`: the project's review queues, each with its metric, progress and reviewers. */
export function ReviewQueuesPage() {
  const project = useParams().project ?? '';
  const query = useQuery({ queryKey: ['review-queues', project], queryFn: () => fetchQueues(project) });
  const base = `/p/${encodeURIComponent(project)}/review`;
  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">Review queues</h1>
      <QueryView query={query} what="review queues">
        {(data) =>
          data.queues.length === 0 ? (
            <Empty>
              No review queues yet. Create one for a judge metric with <code>evalops review queues create …</code> (its rubric, reviewers and reviewers per item), then route run
              results or traces into it; they appear here with each reviewer&apos;s progress.
            </Empty>
          ) : (
            <ul className="queue-cards">
              {data.queues.map((q) => (
                <li key={q.id}>
                  <h2>
                    <Link to={`${base}/${encodeURIComponent(q.name)}`}>{q.name}</Link>
                  </h2>
                  <p className="meta">
                    metric <strong>{q.metric}</strong> · {q.reviewersPerItem} {q.reviewersPerItem === 1 ? 'reviewer' : 'reviewers'} per item · reviewers{' '}
                    {q.reviewers.length ? q.reviewers.join(', ') : 'any key with the reviewer role'}
                  </p>
                  <QueueProgressBar progress={q.progress} name={q.name} />
                  <ReviewerProgress progress={q.progress} caption={`${q.name}: progress per reviewer`} />
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
