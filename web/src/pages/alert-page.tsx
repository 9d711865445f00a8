import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { AlertActions } from '../components/alert-actions';
import { AlertStatusBadge, SeverityBadge } from '../components/alert-badge';
import { points, readMonitorEvidence, type MonitorEvidence, type RollbackAction } from '../components/alert-evidence';
import { CopyablePre } from '../components/copyable-pre';
import { pct, text, when } from '../components/format';
import { fetchAlert } from '../components/monitor-api';
import { PassRateByReleaseChart } from '../components/pass-rate-by-release-chart';
import { QueryView } from '../components/states';
import { triageHref } from '../components/triage-source';
import { useSession } from '../session/session-context';

type AlertView = Awaited<ReturnType<typeof fetchAlert>>;

/** One line of what a failing trace asked and answered (its root span), so the examples can be told apart. */
function TracePreview({ project, traceId }: { project: string; traceId: string }) {
  const trace = useQuery({
    queryKey: ['trace', project, traceId],
    queryFn: async () => {
      const r = await api.GET('/projects/{project}/traces/{traceId}', { params: { path: { project, traceId } } });
      return r.response.status === 404 ? null : unwrap(r);
    },
  });
  if (trace.isPending) return null;
  if (trace.isError) return <span className="muted trace-preview">(could not load the trace)</span>;
  const spans = trace.data?.spans ?? [];
  const root = spans.find((s) => s.parentSpanId === undefined || !spans.some((p) => p.spanId === s.parentSpanId));
  if (!root) return <span className="muted trace-preview">(its spans are not stored: sampled out or past retention)</span>;
  return (
    <span className="trace-preview">
      <span className="clip">{oneLine(root.input)}</span> → <span className="clip">{oneLine(root.output)}</span>
    </span>
  );
}

/** A span's input or output on one line, at most 120 characters (messages: the last one's content). */
function oneLine(value: unknown): string {
  const last = Array.isArray(value) ? (value[value.length - 1] as { content?: unknown } | undefined)?.content : value;
  const s = (typeof last === 'string' ? last : last === undefined || last === null ? '—' : text(last)).replace(/\s+/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 119)}…` : s || '—';
}

/**
 * One alert: what moved, by how much, since when and in which cohort, the failing traces, the
 * commands to triage, what the rollback rules did, its timeline, and acknowledge / resolve for
 * engineers and up.
 */
export function AlertPage() {
  const { project = '', alert = '' } = useParams();
  const { can } = useSession();
  const query = useQuery({ queryKey: ['alert', project, alert], queryFn: () => fetchAlert(project, alert) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <QueryView query={query} what="the alert">
      {(a) => {
        const evidence = readMonitorEvidence(a.evidence);
        return (
          <article aria-labelledby="alert-title" className="alert-page">
            <p className="crumbs">
              <Link to={`${base}/alerts`}>Alerts</Link> ›
            </p>
            <h1 id="alert-title">
              {a.title} <AlertStatusBadge status={a.status} /> <SeverityBadge severity={a.severity} />
            </h1>
            <p className="meta">
              <code>{a.id}</code> · {a.kind} alert
              {evidence?.monitor && (
                <>
                  {' · '}monitor <Link to={`${base}/monitors`}>{evidence.monitor}</Link>
                </>
              )}
              {evidence?.owner && ` · owner ${evidence.owner}`}
            </p>
            {evidence?.summary && <p className="alert-summary">{evidence.summary}</p>}
            {evidence && (
              <p className="actions">
                <Link className="button" to={triageHref(project, { kind: 'alert', alertId: a.id })}>
                  Triage this alert
                </Link>
              </p>
            )}
            <h2>Timeline</h2>
            <AlertTimeline alert={a} opener={evidence?.monitor ? `monitor ${evidence.monitor}` : null} />
            {can('engineer') && <AlertActions project={project} alert={a.id} status={a.status} />}
            {evidence ? <MonitorEvidenceView project={project} evidence={evidence} /> : <OtherEvidence evidence={a.evidence} />}
          </article>
        );
      }}
    </QueryView>
  );
}

function AlertTimeline({ alert: a, opener }: { alert: AlertView; opener: string | null }) {
  const step = (name: string, done: boolean, detail: ReactNode) => (
    <li className={done ? 'done' : undefined}>
      <strong>{name}</strong> <span>{detail}</span>
    </li>
  );
  return (
    <ol className="alert-timeline" aria-label="Alert timeline">
      {step(
        'Opened',
        true,
        <>
          <time dateTime={a.openedAt}>{when(a.openedAt)}</time>
          {opener && ` by ${opener}`}
        </>,
      )}
      {step(
        'Acknowledged',
        a.acknowledgedAt !== null,
        a.acknowledgedAt ? (
          <>
            by {a.acknowledgedBy} at <time dateTime={a.acknowledgedAt}>{when(a.acknowledgedAt)}</time>
            {a.acknowledgement ? <q className="resolution">{a.acknowledgement}</q> : null}
          </>
        ) : a.status === 'resolved' ? (
          'no (resolved directly)'
        ) : (
          'not yet'
        ),
      )}
      {step(
        'Resolved',
        a.resolvedAt !== null,
        a.resolvedAt ? (
          <>
            {a.resolvedAs === 'acted' ? <><span className="badge resolved-acted">Acted</span> </> : a.resolvedAs === 'recovered' ? <><span className="badge resolved-recovered">Recovered</span> </> : null}
            by {a.resolvedBy} at <time dateTime={a.resolvedAt}>{when(a.resolvedAt)}</time>
            {a.resolution ? <q className="resolution">{a.resolution}</q> : ' (no note)'}
          </>
        ) : (
          'not yet'
        ),
      )}
    </ol>
  );
}

/** What the baseline and the current value are, in the detector's terms. */
function labels(e: MonitorEvidence): { baseline: string; current: string } {
  if (e.detector === 'canary') return { baseline: `Live ${e.cohort.live ?? ''}`.trim(), current: `Canary ${e.cohort.release ?? ''}`.trim() };
  if (e.detector === 'threshold') return { baseline: 'Threshold', current: 'Last window' };
  return { baseline: 'Reference level', current: 'Since the change' };
}

/** The numbers a person acts on: baseline against now, the change in points with the sample, since when, which cohort. */
function facts(e: MonitorEvidence): [string, ReactNode][] {
  const l = labels(e);
  return [
    [l.baseline, pct(e.baseline)],
    [l.current, `${pct(e.current?.rate)}${e.current ? ` (${e.current.passed}/${e.current.total} passed)` : ''}`],
    ['Change', <span className={e.delta !== null && e.delta < 0 ? 'fail' : undefined}>{points(e.delta)}</span>],
    ...(e.pValue !== null ? [['p-value', e.pValue.toPrecision(2)] as [string, ReactNode]] : []),
    [e.detector === 'threshold' ? 'Window from' : 'Since', e.since ? <time dateTime={e.since}>{when(e.since)}</time> : '—'],
    ['Cohort', `${e.cohort.release ? `release ${e.cohort.release}` : 'all releases'}${e.cohort.live ? `, against live ${e.cohort.live}` : ''}`],
    ['Signal', `${e.metric} pass rate of rule ${e.rule}${e.detector ? ` (${e.detector})` : ''}`],
  ];
}

function MonitorEvidenceView({ project, evidence: e }: { project: string; evidence: MonitorEvidence }) {
  const base = `/p/${encodeURIComponent(project)}`;
  const cohortReleases = [e.cohort.release, e.cohort.live].filter((r): r is string => r !== null);
  return (
    <section aria-labelledby="evidence-title" className="evidence">
      <h2 id="evidence-title">Evidence</h2>
      <dl className="facts alert-facts">
        {facts(e).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>Example failing traces</h3>
      {e.exampleTraceIds.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <ul className="example-traces">
          {e.exampleTraceIds.map((id) => (
            <li key={id}>
              <Link to={`${base}/traces/${id}`}>
                <code>{id}</code>
              </Link>{' '}
              <TracePreview project={project} traceId={id} />
            </li>
          ))}
        </ul>
      )}
      {e.commands.length > 0 && (
        <>
          <h3>Triage</h3>
          <CopyablePre lines={e.commands} label="Commands to triage, in order" />
        </>
      )}
      <h3>Rollback actions</h3>
      {e.rollbackActions.length === 0 ? <p className="muted">No rollback rule is bound to this monitor; nothing was rolled back.</p> : <RollbackActions project={project} actions={e.rollbackActions} />}
      <h3>Pass rate by release</h3>
      <PassRateByReleaseChart project={project} rule={e.rule} metric={e.metric} releases={e.detector === 'canary' ? cohortReleases : undefined} />
    </section>
  );
}

function RollbackActions({ project, actions }: { project: string; actions: readonly RollbackAction[] }) {
  const words = (status: string | null): string => (status ?? '—').replace('_', ' ');
  return (
    <ul className="rollback-actions">
      {actions.map((r) => (
        <li key={`${r.releaseId}:${r.action}`} className={r.skipped ? 'skipped' : undefined}>
          Release of <Link to={`/p/${encodeURIComponent(project)}/releases/${encodeURIComponent(r.releaseId)}`}>{r.variant}</Link>:{' '}
          {r.skipped ? (
            <>
              {r.action} skipped — {r.skipped}
            </>
          ) : (
            <>
              {r.action === 'narrow' ? 'narrowed' : 'rolled back'}, {words(r.from)} → {words(r.to)}
              {r.auditSeq !== undefined && <span className="muted"> (audit #{r.auditSeq})</span>}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Evidence of another kind of alert (a spent budget): its fields as they are. */
function OtherEvidence({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="evidence-title" className="evidence">
      <h2 id="evidence-title">Evidence</h2>
      <dl className="fields">
        {entries.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{text(v)}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
