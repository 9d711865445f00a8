import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { text } from './format';
import { adjudicateItem, fetchItems, type QueueItem } from './review-api';
import { Empty, QueryView } from './states';

/**
 * The items a queue's reviewers disagree on and nobody has settled, with each reviewer's label. An
 * owner settles one with the adjudicate control; the others see the dispute only.
 */
export function DisputedItems({ project, queue, labels, mayAdjudicate }: { project: string; queue: string; labels: readonly string[]; mayAdjudicate: boolean }) {
  const query = useQuery({ queryKey: ['review-items', project, queue, 'disputed'], queryFn: () => fetchItems(project, queue, 'disputed', undefined, 500) });
  return (
    <section aria-labelledby="disputed-title">
      <h2 id="disputed-title">Disputed items</h2>
      <QueryView query={query} what="disputed items">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No disputed items: every fully labelled item is settled.</Empty>
          ) : (
            <table className="metrics disputed-items" aria-label="Disputed items">
              <caption>
                Fully labelled, reviewers disagree, not adjudicated.{mayAdjudicate ? ' The label you choose becomes the item’s truth (audited).' : ' An owner settles each one.'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Output</th>
                  <th scope="col">Labels by reviewer</th>
                  {mayAdjudicate && <th scope="col">Adjudicate</th>}
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr key={item.id}>
                    <th scope="row">
                      <code>{item.exampleId ?? item.traceId ?? item.id}</code>
                    </th>
                    <td>
                      <span className="clip">{text(item.output)}</span>
                    </td>
                    <td>
                      <ul className="given-labels">
                        {item.labels.map((l) => (
                          <li key={l.reviewer}>
                            <span className="reviewer">{l.reviewer}</span>: <strong>{l.label}</strong>
                            {l.note ? <span className="muted"> — {l.note}</span> : null}
                          </li>
                        ))}
                      </ul>
                    </td>
                    {mayAdjudicate && (
                      <td>
                        <AdjudicateForm project={project} queue={queue} item={item} labels={labels} />
                      </td>
                    )}
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

function AdjudicateForm({ project, queue, item, labels }: { project: string; queue: string; item: QueueItem; labels: readonly string[] }) {
  const client = useQueryClient();
  const id = useId();
  const [label, setLabel] = useState(item.labels[0]?.label ?? labels[0] ?? '');
  const mutation = useMutation({
    mutationFn: () => adjudicateItem(project, queue, item.id, label),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['review-items', project, queue] });
      await client.invalidateQueries({ queryKey: ['review-agreement', project, queue] });
      await client.invalidateQueries({ queryKey: ['review-queue', project, queue] });
    },
  });
  const name = item.exampleId ?? item.traceId ?? item.id;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Adjudicate ${name}`}>
      <label htmlFor={`${id}-label`} className="visually-hidden">
        True label of {name}
      </label>
      <select id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)}>
        {labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <button type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? 'Settling…' : 'Adjudicate'}
      </button>
      {mutation.error && (
        <p className="error" role="alert">
          {mutation.error.message}
        </p>
      )}
    </form>
  );
}
