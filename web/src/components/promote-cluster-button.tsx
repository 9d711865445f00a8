import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useSession } from '../session/session-context';
import type { TriageCluster, TriageSource } from './triage-source';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * "Promote to dataset" for one failure cluster: a modal dialog (native <dialog>: focus kept inside,
 * Escape cancels) asks the dataset's name and confirms what will be written; the server re-runs the
 * same triage and adds the cluster's items to a new version of the dataset, in the cluster's slice.
 * The new version is then linked. Rendered only for roles that may write datasets (engineer and up);
 * the server refuses the others anyway, and its refusals show in the dialog.
 */
export function PromoteClusterButton({ project, source, cluster, suggestedDataset }: { project: string; source: TriageSource; cluster: TriageCluster; suggestedDataset: string }) {
  const { can } = useSession();
  const client = useQueryClient();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(suggestedDataset);
  const [invalid, setInvalid] = useState<string | null>(null);
  const promote = useMutation({
    mutationFn: async (dataset: string) => unwrap(await api.POST('/projects/{project}/triage/promote', { params: { path: { project } }, body: { source: sourceBody(source), cluster: cluster.id, dataset, options: {} } })),
    onSuccess: () => {
      setOpen(false);
      return client.invalidateQueries({ queryKey: ['datasets', project] });
    },
  });

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) {
      d.close();
      opener.current?.focus();
    }
  }, [open]);

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
  const done = promote.data;
  const base = `/p/${encodeURIComponent(project)}`;

  return (
    <div className="promote-cluster">
      <button
        ref={opener}
        type="button"
        className="secondary"
        onClick={() => {
          promote.reset();
          setOpen(true);
        }}
      >
        Promote {cluster.id} to dataset…
      </button>
      <dialog ref={dialog} className="confirm" aria-labelledby={`${id}-title`} aria-describedby={`${id}-what`} onClose={() => setOpen(false)}>
        <form onSubmit={submit}>
          <h2 id={`${id}-title`}>Promote cluster {cluster.id} to a dataset</h2>
          <p id={`${id}-what`}>
            The {cluster.size} item{cluster.size === 1 ? '' : 's'} of “{cluster.name}” become examples of a new version of the dataset, each in slice <code>{cluster.slice}</code> with its source,
            failure reason and owners. A gate rule with <code>slicePrefix: 'cluster:'</code> can then keep this failure mode from coming back.
          </p>
          <label htmlFor={`${id}-name`}>Dataset name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoFocus
            aria-invalid={invalid !== null}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
          />
          {invalid && (
            <p id={`${id}-invalid`} className="field-error">
              {invalid}
            </p>
          )}
          {promote.error && (
            <p role="alert" className="error">
              Not promoted: {promote.error.message}
            </p>
          )}
          <div className="dialog-buttons">
            <button type="submit" disabled={promote.isPending}>
              {promote.isPending ? 'Promoting…' : 'Promote'}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
      <div role="status" aria-live="polite" className="promote-result">
        {done && (
          <p className="ok">
            {done.created ? 'Created' : 'Already there:'} version{' '}
            <Link to={`${base}/datasets/${encodeURIComponent(done.dataset)}?version=${encodeURIComponent(done.version)}`}>
              {done.dataset}@{done.version.slice(0, 12)}
            </Link>{' '}
            with {done.promoted} example{done.promoted === 1 ? '' : 's'} of {done.cluster.id} in slice <code>{done.cluster.slice}</code> ({done.examples} in all).
          </p>
        )}
      </div>
    </div>
  );
}

/** The source as the promote operation reads it. */
function sourceBody(s: TriageSource) {
  switch (s.kind) {
    case 'run':
      return { kind: 'run' as const, runId: s.runId };
    case 'compare':
      return { kind: 'compare' as const, baselineRunId: s.baselineRunId, candidateRunId: s.candidateRunId };
    case 'alert':
      return { kind: 'alert' as const, alertId: s.alertId };
    case 'traces':
      return { kind: 'traces' as const, filter: { ...s.filter } };
  }
}
