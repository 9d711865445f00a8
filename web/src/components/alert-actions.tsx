import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { acknowledgeAlert, resolveAlert, type AlertStatus } from './monitor-api';

/**
 * Acknowledge (someone is on it) and resolve (with a note on what was done), offered only where the
 * lifecycle allows them: open → acknowledged → resolved, or open → resolved. The caller shows this
 * only to keys that may move alerts (engineer and above).
 */
export function AlertActions({ project, alert, status }: { project: string; alert: string; status: AlertStatus }) {
  const client = useQueryClient();
  const id = useId();
  const [note, setNote] = useState('');
  const done = async (): Promise<void> => {
    setNote('');
    await client.invalidateQueries();
  };
  const acknowledge = useMutation({ mutationFn: () => acknowledgeAlert(project, alert, undefined), onSuccess: done });
  const resolve = useMutation({ mutationFn: (text: string) => resolveAlert(project, alert, text || undefined), onSuccess: done });
  if (status === 'resolved') return null;
  const busy = acknowledge.isPending || resolve.isPending;
  const error = acknowledge.error?.message ?? resolve.error?.message ?? null;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    resolve.mutate(note.trim());
  };
  return (
    <section aria-labelledby={`${id}-title`} className="alert-actions">
      <h2 id={`${id}-title`}>Act on the alert</h2>
      {status === 'open' && (
        <p className="inline-form">
          <button type="button" disabled={busy} onClick={() => acknowledge.mutate()}>
            Acknowledge
          </button>
          <span className="hint">Tells the team (and the webhooks) that someone is on it.</span>
        </p>
      )}
      <form onSubmit={submit} className="resolve-form" aria-label="Resolve">
        <label htmlFor={`${id}-note`}>Resolution note</label>
        <textarea id={`${id}-note`} rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What was found and what was done: rolled back, fixed the prompt, false alarm…" />
        <div>
          <button type="submit" disabled={busy}>
            Resolve
          </button>
        </div>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
