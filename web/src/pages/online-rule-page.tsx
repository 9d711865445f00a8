import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { usd } from '../components/format';
import { fetchOnlineRule } from '../components/online-api';
import { readRuleSpec, seconds, sessionFlags, share } from '../components/online-rule-spec';
import { OnlineSeriesChart } from '../components/online-series-chart';
import { RuleMonitors } from '../components/rule-monitors';
import { QueryView } from '../components/states';

const Field = ({ name, children }: { name: string; children: ReactNode }) => (
  <>
    <dt>{name}</dt>
    <dd>{children}</dd>
  </>
);

const flagsText = (flags: readonly string[]): ReactNode => (flags.length > 0 ? flags.join(', ') : <span className="muted">none</span>);

const Fact = ({ name, children }: { name: string; children: ReactNode }) => (
  <div>
    <dt>{name}</dt>
    <dd>{children}</dd>
  </div>
);

/**
 * One online rule: its spec in words, what it scored and spent, its quality over time per cohort
 * (the series the monitors read), and the monitors that watch it.
 */
export function OnlineRulePage() {
  const { project = '', rule = '' } = useParams();
  const query = useQuery({ queryKey: ['online-rule', project, rule], queryFn: () => fetchOnlineRule(project, rule) });
  const base = `/p/${encodeURIComponent(project)}`;
  return (
    <QueryView query={query} what="the online rule">
      {(r) => {
        const spec = readRuleSpec(r.spec);
        return (
          <article aria-labelledby="rule-title" className="online-rule-page">
            <p className="crumbs">
              <Link to={`${base}/online`}>Online rules</Link> ›
            </p>
            <h1 id="rule-title">
              {r.name} <span className={`badge ${r.enabled ? 'rule-enabled' : 'rule-paused'}`}>{r.enabled ? 'enabled' : 'paused'}</span>
            </h1>
            {spec.description && <p>{spec.description}</p>}
            <h2>Spec</h2>
            <dl className="fields rule-spec">
              <Field name="Filter">{spec.filter}</Field>
              <Field name="Scores">{spec.target === 'sessions' ? 'whole sessions (the traces sharing a session id), once ready' : 'each trace'}</Field>
              {spec.session && (
                <Field name="Session ready">
                  after {seconds(spec.session.idleSeconds)} without a new trace, or at once when a span carries <code>evalops.session.end</code>
                  {spec.session.defaults && <span className="muted"> (default)</span>}
                </Field>
              )}
              <Field name="Sample rate">
                {share(spec.sampleRate)} of matching {spec.target}
              </Field>
              <Field name="Metrics">
                <ul className="rule-metrics">
                  {spec.metrics.map((m) => (
                    <li key={m.name}>
                      {m.name} <span className="muted">({m.scorer})</span>
                      {m.detail !== null && <span className="scorer-detail"> — {m.sessionLevel ? 'session scorer: ' : ''}{m.detail}</span>}
                    </li>
                  ))}
                </ul>
              </Field>
              {spec.session ? (
                <Field name="Session flags">{flagsText(sessionFlags(spec))}</Field>
              ) : (
                <Field name="Flags">{flagsText(spec.flags)}</Field>
              )}
              <Field name="Review queue">{spec.reviewQueue ? <Link to={`${base}/review/${encodeURIComponent(spec.reviewQueue)}`}>{spec.reviewQueue}</Link> : <span className="muted">none</span>}</Field>
              <Field name="Budget">{spec.budgetUsdPerDay === null ? <span className="muted">no limit</span> : `${usd(spec.budgetUsdPerDay)} per UTC day`}</Field>
              {spec.cohortAttributes.length > 0 && <Field name="Cohorts">{spec.cohortAttributes.join(', ')}</Field>}
            </dl>
            <h2>Counts</h2>
            <dl className="facts rule-counts">
              <Fact name={spec.target === 'sessions' ? 'Sessions scored' : 'Traces scored'}>{r.stats.traces}</Fact>
              <Fact name="Sampled">{r.stats.sampled}</Fact>
              <Fact name="Flagged">{r.stats.flagged}</Fact>
              <Fact name="Spent today">{usd(r.stats.spentTodayUsd)}</Fact>
              <Fact name="Spent in all">{usd(r.stats.spentUsd)}</Fact>
            </dl>
            <h2>Over time</h2>
            <OnlineSeriesChart project={project} rule={r.name} metrics={spec.metrics} cohortAttributes={spec.cohortAttributes} />
            <h2>Monitors</h2>
            <p>
              <Link to={`${base}/monitors`}>All monitors</Link>
            </p>
            <RuleMonitors project={project} rule={r.name} />
          </article>
        );
      }}
    </QueryView>
  );
}
