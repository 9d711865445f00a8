import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { fetchQueue, giveBackItem, labelItem, nextItem, type NextItem, type Queue } from '../components/review-api';
import { Empty, QueryView } from '../components/states';
import { asTranscriptView } from '../components/transcript';
import { TranscriptView } from '../components/transcript-view';
import '../review.css';

/**
 * `/review/:queue/next`: one item at a time, driven by the keyboard. Keys 1–9 pick a label, N goes
 * to the note, Enter submits; the judge's verdict stays hidden until asked for, so it does not bias
 * the reviewer. The time spent runs from when the item is shown.
 */
export function ReviewItemPage() {
  const { project = '', queue = '' } = useParams();
  const queueQuery = useQuery({ queryKey: ['review-queue', project, queue], queryFn: () => fetchQueue(project, queue) });
  // Taking the next item is a write (an assignment); it is asked once per item, not on focus.
  const next = useQuery({ queryKey: ['review-next', project, queue], queryFn: () => nextItem(project, queue), staleTime: Infinity, refetchOnWindowFocus: false, retry: false });
  const base = `/p/${encodeURIComponent(project)}/review/${encodeURIComponent(queue)}`;
  return (
    <section aria-labelledby="review-title" className="review">
      <p className="crumbs">
        <Link to={base}>Queue {queue}</Link> ›
      </p>
      <h1 id="review-title">Review · {queue}</h1>
      <QueryView query={queueQuery} what="the queue">
        {(q) => (
          <QueryView query={next} what="your next item">
            {(n) =>
              n.item === null ? (
                <div className="queue-done" role="status">
                  <h2>Queue done</h2>
                  <p>
                    Nothing left for you, {n.reviewer}: every item has its {q.reviewersPerItem} {q.reviewersPerItem === 1 ? 'label' : 'labels'} or has been labelled by you.{' '}
                    <Link to={base}>See the queue&apos;s agreement</Link>.
                  </p>
                </div>
              ) : (
                <ReviewForm key={n.item.id} project={project} queue={q} item={n.item} />
              )
            }
          </QueryView>
        )}
      </QueryView>
    </section>
  );
}

/** What the server's refusal means for the reviewer, in words. */
function refusal(error: Error): string {
  if (!(error instanceof ApiError)) return error.message;
  if (error.status === 409) return `Already labelled: ${error.message}`;
  if (error.status === 403) return `Not allowed: ${error.message}`;
  if (error.status === 400) return `Not accepted: ${error.message}`;
  return error.message;
}

function ReviewForm({ project, queue, item }: { project: string; queue: Queue; item: NextItem }) {
  const client = useQueryClient();
  const id = useId();
  const labels = queue.rubric.labels;
  const [label, setLabel] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [showJudge, setShowJudge] = useState(false);
  const [missing, setMissing] = useState(false);
  const shownAt = useRef(performance.now());
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    shownAt.current = performance.now();
    headingRef.current?.focus();
  }, [item.id]);

  const mutation = useMutation({
    mutationFn: (body: { label: string; note?: string; seconds: number }) => labelItem(project, queue.name, item.id, body),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['review-queue', project, queue.name] });
      await client.invalidateQueries({ queryKey: ['review-next', project, queue.name] });
    },
  });

  const navigate = useNavigate();
  // Skip: the next item comes (this one goes to someone else). Release: back to the queue page, since
  // asking for the next item at once would hand the released item straight back.
  const giveBack = useMutation({
    mutationFn: (how: 'skip' | 'release') => giveBackItem(project, queue.name, item.id, how),
    onSuccess: async (_item, how) => {
      await client.invalidateQueries({ queryKey: ['review-queue', project, queue.name] });
      // The held item is cached as "your next item": forget it, so coming back asks the server again.
      if (how === 'release') client.removeQueries({ queryKey: ['review-next', project, queue.name] });
      if (how === 'release') return void navigate(`/p/${encodeURIComponent(project)}/review/${encodeURIComponent(queue.name)}`, { state: { released: item.id } });
      await client.invalidateQueries({ queryKey: ['review-next', project, queue.name] });
    },
  });

  const submit = (e?: FormEvent): void => {
    e?.preventDefault();
    if (mutation.isPending || mutation.isSuccess) return;
    if (label === null) {
      setMissing(true);
      return;
    }
    const seconds = Math.round((performance.now() - shownAt.current) / 100) / 10;
    mutation.mutate({ label, seconds, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  const submitRef = useRef(submit);
  submitRef.current = submit;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      const typing = target?.tagName === 'TEXTAREA' || (target?.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text') || target?.tagName === 'SELECT';
      if (typing) {
        if (e.key === 'Enter' && !e.shiftKey && target?.tagName === 'TEXTAREA') {
          e.preventDefault();
          submitRef.current();
        } else if (e.key === 'Escape') target?.blur();
        return;
      }
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= Math.min(9, labels.length)) {
        e.preventDefault();
        setLabel(labels[n - 1]!.label);
        setMissing(false);
      } else if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        noteRef.current?.focus();
      } else if (e.key === 'Enter' && target?.tagName !== 'BUTTON' && target?.tagName !== 'A' && target?.tagName !== 'SUMMARY') {
        e.preventDefault();
        submitRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [labels]);

  const judge = item.judge;
  return (
    <form className="review-item" onSubmit={submit} aria-labelledby={`${id}-item`} noValidate>
      <div className="review-main">
        <h2 id={`${id}-item`} ref={headingRef} tabIndex={-1}>
          Item <code>{item.exampleId ?? item.traceId ?? item.id}</code>
          <span className="muted"> · {item.reason}</span>
        </h2>
        {item.slices.length > 0 && (
          <p>
            {item.slices.map((s) => (
              <span key={s} className="chip">
                {s}
              </span>
            ))}
          </p>
        )}
        {asTranscriptView(item.output) ? (
          <TranscriptView transcript={asTranscriptView(item.output)!} label="Conversation" />
        ) : (
          <>
            <Block title="Input" value={item.input} />
            <Block title="Output" value={item.output} />
          </>
        )}
        {item.expected !== undefined && <Block title="Expected" value={item.expected} />}
        <h3>Tool calls</h3>
        {item.toolCalls.length === 0 ? (
          <p className="muted">No tool calls.</p>
        ) : (
          <ol className="tool-calls">
            {item.toolCalls.map((c, i) => (
              <li key={i}>
                <code>{c.name}</code>
                <pre>{JSON.stringify(c.arguments, null, 2)}</pre>
              </li>
            ))}
          </ol>
        )}
        <div className="judge-toggle">
          <button type="button" className="secondary" aria-expanded={showJudge} aria-controls={`${id}-judge`} onClick={() => setShowJudge(!showJudge)}>
            {showJudge ? 'Hide judge' : 'Show judge'}
          </button>
          <span className="hint"> Hidden so it does not sway your label.</span>
          <div id={`${id}-judge`} hidden={!showJudge} className="judge-verdict">
            {judge ? (
              <p>
                The judge said <strong>{judge.label ?? judge.status}</strong>
                {judge.pass === null ? '' : judge.pass ? ' (pass)' : ' (fail)'}
                {judge.reason ? `: ${judge.reason}` : ''}
              </p>
            ) : (
              <p className="muted">No judge verdict for this item.</p>
            )}
          </div>
        </div>
      </div>
      <aside className="review-side">
        <fieldset aria-describedby={missing ? `${id}-missing` : undefined}>
          <legend>Label (keys 1–{Math.min(9, labels.length)})</legend>
          {labels.map((l, i) => (
            <label key={l.label} className={`rubric-label${label === l.label ? ' chosen' : ''}`}>
              <input
                type="radio"
                name={`${id}-label`}
                value={l.label}
                checked={label === l.label}
                onChange={() => {
                  setLabel(l.label);
                  setMissing(false);
                }}
              />
              <kbd aria-hidden="true">{i + 1}</kbd>
              <span>
                <strong>{l.label}</strong>
                {queue.rubric.pass.includes(l.label) ? <span className="muted"> · pass</span> : null}
              </span>
              {l.definition ? <span className="definition">{l.definition}</span> : null}
            </label>
          ))}
        </fieldset>
        {missing && (
          <p className="field-error" id={`${id}-missing`} role="alert">
            Pick a label first (keys 1–{Math.min(9, labels.length)}).
          </p>
        )}
        <label htmlFor={`${id}-note`}>
          Note <span className="muted">(optional, key N)</span>
        </label>
        <textarea id={`${id}-note`} ref={noteRef} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Submit label (Enter)'}
        </button>
        <div className="give-back">
          <button type="button" className="secondary" disabled={giveBack.isPending || mutation.isPending} onClick={() => giveBack.mutate('skip')} title="pass on this item: it goes to another reviewer, never back to you">
            Skip
          </button>
          <button type="button" className="secondary" disabled={giveBack.isPending || mutation.isPending} onClick={() => giveBack.mutate('release')} title="give this item back to the queue and stop for now">
            Release
          </button>
        </div>
        {giveBack.error && (
          <p className="error" role="alert">
            {refusal(giveBack.error)}
          </p>
        )}
        {mutation.isSuccess && (
          <p className="success" role="status">
            Labelled {mutation.variables.label}; loading the next item…
          </p>
        )}
        {mutation.error && (
          <p className="error" role="alert">
            {refusal(mutation.error)}
          </p>
        )}
        <p className="hint">1–9 pick a label · N note · Enter submit · Shift+Enter new line in the note</p>
      </aside>
    </form>
  );
}

function Block({ title, value }: { title: string; value: unknown }) {
  return (
    <>
      <h3>{title}</h3>
      {value === undefined || value === null || value === '' ? <Empty>None.</Empty> : <pre className="review-text">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>}
    </>
  );
}
