import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { overrideDecision, type OverrideResult } from './gate-api';
import { outcomeInWords, releaseInWords, type ReleaseStatus } from './outcome-badge';

interface Fields {
  reason: string;
  evidence: string;
  outcome: 'approve' | 'narrow';
  percent: string;
}

/** The same checks as the server, with messages naming the field, so a mistake is caught before sending. */
function check(f: Fields): Partial<Record<keyof Fields, string>> {
  const errors: Partial<Record<keyof Fields, string>> = {};
  if (f.reason.trim().length < 10) errors.reason = 'Reason: say why in at least 10 characters.';
  let url: URL | null = null;
  try {
    url = new URL(f.evidence.trim());
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) errors.evidence = 'Evidence: give an http(s) link to the dashboard, review or ticket.';
  const p = Number(f.percent);
  if (f.outcome === 'narrow' && (!Number.isInteger(p) || p < 1 || p > 99)) errors.percent = 'Percent: a whole number from 1 to 99.';
  return errors;
}

/**
 * Override a gate decision with a reason and an evidence link: approve it, or narrow the rollout. The
 * server decides who may (the owner of every failed metric, or a gate admin) and says why not.
 */
export function OverrideForm({ decisionId, project, mayOverride }: { decisionId: string; project: string; mayOverride: string }) {
  const client = useQueryClient();
  const id = useId();
  const [fields, setFields] = useState<Fields>({ reason: '', evidence: '', outcome: 'approve', percent: '10' });
  const [errors, setErrors] = useState<Partial<Record<keyof Fields, string>>>({});
  const mutation = useMutation<OverrideResult, Error, Fields>({
    mutationFn: (f) => overrideDecision(decisionId, { reason: f.reason.trim(), evidence: f.evidence.trim(), outcome: f.outcome, project, ...(f.outcome === 'narrow' ? { percent: Number(f.percent) } : {}) }),
    onSuccess: async () => {
      await client.invalidateQueries();
    },
  });
  const set = (k: keyof Fields) => (e: { target: { value: string } }) => setFields({ ...fields, [k]: e.target.value });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const found = check(fields);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate(fields);
  };
  const described = (k: keyof Fields, hint?: string): string | undefined => [errors[k] ? `${id}-${k}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  const done = mutation.data;

  return (
    <form id="override" className="override" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Override this decision</h2>
      <p className="hint" id={`${id}-who`}>
        {mayOverride} The decision itself is kept; the override is recorded beside it, in the audit log, and moves the release.
      </p>
      <label htmlFor={`${id}-reason`}>Reason</label>
      <textarea id={`${id}-reason`} rows={3} value={fields.reason} onChange={set('reason')} aria-invalid={Boolean(errors.reason)} aria-describedby={described('reason', `${id}-who`)} />
      {errors.reason && (
        <p className="field-error" id={`${id}-reason-error`}>
          {errors.reason}
        </p>
      )}
      <label htmlFor={`${id}-evidence`}>Evidence link</label>
      <input id={`${id}-evidence`} type="url" inputMode="url" placeholder="https://…" value={fields.evidence} onChange={set('evidence')} aria-invalid={Boolean(errors.evidence)} aria-describedby={described('evidence')} />
      {errors.evidence && (
        <p className="field-error" id={`${id}-evidence-error`}>
          {errors.evidence}
        </p>
      )}
      <fieldset>
        <legend>Outcome</legend>
        <label>
          <input type="radio" name={`${id}-outcome`} value="approve" checked={fields.outcome === 'approve'} onChange={set('outcome')} /> Approve
        </label>
        <label>
          <input type="radio" name={`${id}-outcome`} value="narrow" checked={fields.outcome === 'narrow'} onChange={set('outcome')} /> Narrow the rollout to
        </label>{' '}
        <input
          type="number"
          min={1}
          max={99}
          className="percent"
          aria-label="Percent of traffic"
          value={fields.percent}
          onChange={set('percent')}
          disabled={fields.outcome !== 'narrow'}
          aria-invalid={Boolean(errors.percent)}
          aria-describedby={described('percent')}
        />
        %
        {errors.percent && (
          <p className="field-error" id={`${id}-percent-error`}>
            {errors.percent}
          </p>
        )}
      </fieldset>
      <div>
        <button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Overriding…' : 'Override'}
        </button>
      </div>
      {mutation.error && (
        <p className="error" role="alert">
          {mutation.error.message}
        </p>
      )}
      {done && (
        <p className="success" role="status">
          Override recorded: the decision is now {outcomeInWords(done.decision.effectiveOutcome, done.release?.canaryPercent)}
          {done.release ? `; the release is ${releaseInWords(done.release.status as ReleaseStatus, done.release.canaryPercent).toLowerCase()}` : ''}.
        </p>
      )}
    </form>
  );
}
