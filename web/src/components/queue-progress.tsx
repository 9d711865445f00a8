import { minutes, type Queue } from './review-api';

/** Settled items out of all, as a labelled bar; disputed items are named beside it. */
export function QueueProgressBar({ progress, name }: { progress: Queue['progress']; name: string }) {
  const { items, settled, disputed } = progress;
  return (
    <div className="queue-progress">
      <progress max={Math.max(items, 1)} value={settled} aria-label={`${name}: settled items`} />
      <span>
        {settled} of {items} settled
        {disputed > 0 && <span className="disputed"> · {disputed} disputed</span>}
      </span>
    </div>
  );
}

/** Each reviewer's labels, open assignments and time spent. */
export function ReviewerProgress({ progress, caption }: { progress: Queue['progress']; caption?: string }) {
  if (progress.reviewers.length === 0) return <p className="muted">No reviewer has taken an item yet.</p>;
  return (
    <table className="metrics compact reviewer-progress" aria-label={caption ?? 'Progress per reviewer'}>
      <thead>
        <tr>
          <th scope="col">Reviewer</th>
          <th scope="col" className="num">
            Labelled
          </th>
          <th scope="col" className="num">
            Open
          </th>
          <th scope="col" className="num">
            Time spent
          </th>
        </tr>
      </thead>
      <tbody>
        {progress.reviewers.map((r) => (
          <tr key={r.reviewer}>
            <th scope="row">{r.reviewer}</th>
            <td className="num">{r.labelled}</td>
            <td className="num">{r.open}</td>
            <td className="num">{minutes(r.seconds)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
