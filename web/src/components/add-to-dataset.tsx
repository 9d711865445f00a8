import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useSession } from '../session/session-context';

/** What to add: named traces, or those a list filter selects (the list's query parameters). */
export type PromoteTarget = { readonly traceIds: readonly string[] } | { readonly filter: Readonly<Record<string, string | string[]>> };

const NAME = /^[A-Za-z0-9][\w.-]*$/;

/**
 * "Add to dataset": a button that opens a small form asking the dataset's name, then promotes the
 * traces into a new version of it and says which version holds them. Rendered only for roles that
 * may write datasets (engineer and up); the server refuses the others anyway.
 */
export function AddToDataset({ project, target, label, disabled = false }: { project: string; target: PromoteTarget; label: string; disabled?: boolean }) {
  const { can } = useSession();
  const client = useQueryClient();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const promote = useMutation({
    mutationFn: async (dataset: string) =>
      unwrap(
        await api.POST('/projects/{project}/traces/promote', {
          params: { path: { project } },
          body: 'traceIds' in target ? { dataset, traceIds: [...target.traceIds] } : { dataset, filter: { ...target.filter } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['datasets', project] }),
  });
  if (!can('engineer')) return null;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const dataset = name.trim();
    if (!NAME.test(dataset)) {
      setInvalid('Use letters, digits, ".", "_" and "-", starting with a letter or digit.');
      return;
    }
    setInvalid(null);
    promote.mutate(dataset);
  };

  return (
    <div className="add-to-dataset">
      <button type="button" className="secondary" aria-expanded={open} aria-controls={`${id}-form`} disabled={disabled} onClick={() => setOpen(!open)}>
        {label}
      </button>
      {open && (
        <form id={`${id}-form`} className="promote-form" onSubmit={submit} aria-label={label}>
          <label htmlFor={`${id}-name`}>Dataset name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. from-prod"
            autoFocus
            required
            aria-invalid={invalid !== null}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
          />
          <button type="submit" disabled={promote.isPending}>
            {promote.isPending ? 'Adding…' : 'Add'}
          </button>
          <button type="button" className="link" onClick={() => setOpen(false)}>
            Cancel
          </button>
          {invalid && (
            <p id={`${id}-invalid`} className="error">
              {invalid}
            </p>
          )}
        </form>
      )}
      <div role="status" aria-live="polite" className="promote-result">
        {promote.data && (
          <p className="ok">
            {promote.data.created ? 'Created' : 'Already there:'} version <code>{promote.data.dataset}@{promote.data.version.slice(0, 12)}</code> with {promote.data.promoted} trace{promote.data.promoted === 1 ? '' : 's'}{' '}
            added ({promote.data.examples} examples in all).
          </p>
        )}
      </div>
      {promote.error && (
        <p role="alert" className="error">
          {promote.error.message}
        </p>
      )}
    </div>
  );
}
