import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { Link, useParams } from 'react-router';
import { fetchDecision, fetchRelease, type Decision } from '../components/gate-api';
import { pct, text, usd, when } from '../components/format';
import { OutcomeBadge, outcomeInWords, ReleaseBadge } from '../components/outcome-badge';
import { DecisionErrors } from '../components/decision-errors';
import { asTranscriptView } from '../components/transcript';
import { WorstTranscripts } from '../components/transcript-pair';
import { TranscriptPreview } from '../components/transcript-preview';
import { OverrideForm } from '../components/override-form';
import { QueryView } from '../components/states';
import { useSession } from '../session/session-context';
import { SubsetPanel } from '../components/subset-panel';


type Finding = Decision['findings'][number];

const STATUS_ORDER: Record<Finding['status'], number> = { failed: 0, not_evaluated: 1, passed: 2 };
const STATUS_WORDS: Record<Finding['status'], string> = { failed: 'Failed', not_evaluated: 'Not evaluated', passed: 'Passed' };

/** A signed difference of pass rates in points: "−22.2 pts". */
const pts = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(1)} pts`;

/** A value of the metric: a pass rate, or dollars for the cost metrics. */
function value(metric: string, x: number | null | undefined, doc: Decision): string {
  if (x === null || x === undefined) return '—';
  if (metric.startsWith('cost')) return usd(x);
  if (metric === 'error_rate' || metric === 'coverage') return pct(x);
  return doc.metrics[metric] || metric.startsWith('failureClass:') ? pct(x) : String(Number(x.toPrecision(3)));
}

function actionInWords(f: Finding): string {
  if (!f.action) return '—';
  return f.action === 'block' ? 'blocks' : f.action === 'require_approval' ? 'asks an owner' : `narrows to ${f.rolloutPercent ?? '?'}%`;
}

/** The finding's numbers: the paired change with its interval, or the value against its bound; why, when not evaluated. */
function Numbers({ f, doc }: { f: Finding; doc: Decision }) {
  const c = f.evidence.comparison;
  if (f.status === 'not_evaluated') {
    return (
      <td colSpan={4} className="muted">
        {f.message}
      </td>
    );
  }
  if (c) {
    return (
      <>
        <td className="num nowrap">
          {value(f.metric, c.baseline, doc)} → {value(f.metric, c.candidate, doc)}
        </td>
        <td className="num nowrap">{c.delta === null ? '—' : pts(c.delta)}</td>
        <td className="num">{c.ci95 && c.ci95.length === 2 ? `${pts(c.ci95[0] ?? 0)} … ${pts(c.ci95[1] ?? 0)}` : '—'}</td>
        <td>
          <span className={`verdict-word ${c.verdict}`}>{c.verdict}</span>
          {c.pAdjusted !== null && <span className="muted nowrap"> p {c.pAdjusted < 0.001 ? '< 0.001' : `= ${c.pAdjusted.toFixed(3)}`}</span>}
        </td>
      </>
    );
  }
  const e = f.evidence;
  if (f.condition === 'errorRate') {
    const r = e.errorRate;
    return (
      <>
        <td className="num nowrap">{r && r.baseline !== null ? `${pct(r.baseline)} → ${pct(r.candidate)}` : pct(r?.candidate ?? e.value)}</td>
        <td className="num nowrap">{r && r.baseline !== null && r.candidate !== null ? pts(r.candidate - r.baseline) : '—'}</td>
        <td className="num">—</td>
        <td>{r && r.pValue !== null ? `${r.newErrors} newly errored, p ${r.pValue < 0.001 ? '< 0.001' : `= ${r.pValue.toFixed(3)}`}` : 'error rate'}</td>
      </>
    );
  }
  return (
    <>
      <td className="num nowrap">{f.condition === 'maxFailures' ? `${e.failures ?? 0} failed` : value(f.metric, e.value, doc)}</td>
      <td className="num">—</td>
      <td className="num">{e.ci95 && e.ci95.length === 2 ? `${value(f.metric, e.ci95[0], doc)} … ${value(f.metric, e.ci95[1], doc)}` : '—'}</td>
      <td>{e.bound !== undefined ? `${f.condition} ${value(f.metric, e.bound, doc)}` : f.condition === 'maxFailures' ? f.ruleText.replace(/ →.*/, '').replace(/^.* maxFailures/, 'at most') : '—'}</td>
    </>
  );
}

/** One gate decision: the outcome in plain words first, then the findings, evidence, owners and overrides. */
export function DecisionPage() {
  const { project = '', decisionId = '' } = useParams();
  const query = useQuery({ queryKey: ['gate-decision', decisionId], queryFn: () => fetchDecision(decisionId) });
  return (
    <QueryView query={query} what="the gate decision">
      {(doc) => <DecisionView doc={doc} project={project} />}
    </QueryView>
  );
}

function DecisionView({ doc, project }: { doc: Decision; project: string }) {
  const { can } = useSession();
  // Once shown, the override form stays: an approval makes the decision no longer overridable, and the
  // form's success message must stay readable after the refetch.
  const overrideShown = useRef(false);
  const base = `/p/${encodeURIComponent(project)}`;
  const release = useQuery({
    queryKey: ['release', doc.candidate.variant, project],
    queryFn: () => fetchRelease(doc.candidate.variant, project),
  });
  const findings = [...doc.findings].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  const failed = findings.filter((f) => f.status === 'failed');
  const slices = [...new Set(failed.flatMap((f) => (f.slice ? [f.slice] : [])))];
  const lastOverride = doc.overrides.at(-1);
  const overridden = lastOverride !== undefined;
  const effectivePercent = doc.effectiveRolloutPercent;
  const acting = doc.findings.filter((f) => f.action !== null);
  const owners = [...new Set(acting.flatMap((f) => (f.owner ? f.owner.split(', ') : [])))].sort();
  const mayOverride = `Who may override: ${owners.length ? `the owner of every failed metric (${owners.join(', ')})` : 'nobody owns the failed metrics, so only'} or a gate admin${doc.policy.admins.length ? ` (${doc.policy.admins.join(', ')})` : ' (an admin key)'}.`;
  const examples = failedExamples(failed);
  const canOverride = can('owner') && doc.effectiveOutcome !== 'approve';
  if (canOverride) overrideShown.current = true;

  return (
    <article aria-labelledby="decision-title" className="decision">
      <header className={`verdict ${doc.effectiveOutcome}`}>
        <p className="kicker">
          Gate decision <code>{doc.decisionId}</code> · {when(doc.createdAt)}
        </p>
        <h1 id="decision-title">{outcomeInWords(doc.effectiveOutcome, effectivePercent)}</h1>
        {overridden && (
          <p className="overridden">
            Overridden by {lastOverride.actor} ({lastOverride.role}) on {when(lastOverride.createdAt)}. The gate said: <OutcomeBadge outcome={doc.outcome} rolloutPercent={doc.rolloutPercent} />
          </p>
        )}
        {slices.length > 0 && (
          <p className="slices">
            Regressed {slices.length === 1 ? 'slice' : 'slices'}:{' '}
            {slices.map((s) => (
              <span key={s} className="chip fail">
                {s}
              </span>
            ))}
          </p>
        )}
        <p className="summary">{doc.summary}</p>
        {canOverride && (
          <p>
            <a href="#override">Override this decision…</a>
          </p>
        )}
        <p className="meta">
          Candidate <Link to={`${base}/runs/${doc.candidate.runId}`}>{doc.candidate.runId}</Link> (variant <code title={doc.candidate.variant}>{doc.variantName}</code>, dataset {doc.candidate.dataset.name}@
          {doc.candidate.dataset.version.slice(0, 8)}) against{' '}
          {doc.baseline.runId ? (
            <>
              baseline <Link to={`${base}/runs/${doc.baseline.runId}`}>{doc.baseline.runId}</Link> ({doc.baseline.chosenBy})
            </>
          ) : (
            'no baseline'
          )}
          {doc.pairing ? ` · ${doc.pairing.paired} paired examples` : ''}
        </p>
        <p className="meta">
          Release:{' '}
          {release.data ? (
            <Link to={`${base}/releases/${release.data.id}`}>
              <ReleaseBadge status={release.data.status} canaryPercent={release.data.canaryPercent} hold={release.data.hold} />
            </Link>
          ) : release.error ? (
            '—'
          ) : (
            '…'
          )}
        </p>
      </header>

      <CoverageLines doc={doc} />
      {doc.subset && <SubsetPanel subset={doc.subset} rules={doc.subset.rules} />}

      {doc.warnings.map((w) => (
        <p key={w} className="warning">
          {w}
        </p>
      ))}

      <h2 id="findings-title">Findings</h2>
      <table className="metrics findings" aria-labelledby="findings-title">
        <caption>Failed first. Deltas are candidate − baseline, paired by example.</caption>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Metric and rule</th>
            <th scope="col">Slice</th>
            <th scope="col" className="num">Baseline → candidate</th>
            <th scope="col" className="num">Delta</th>
            <th scope="col" className="num">95% interval</th>
            <th scope="col">Verdict or bound</th>
            <th scope="col">Action</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f, i) => (
            <tr key={`${f.rule}-${f.metric}-${f.slice ?? ''}-${i}`} className={f.status} title={f.message}>
              <td>
                <span className={`badge ${f.status === 'failed' ? 'block' : f.status === 'passed' ? 'approve' : ''}`}>{STATUS_WORDS[f.status]}</span>
              </td>
              <th scope="row">
                {f.metric}
                <span className="rule-text">{f.ruleText}</span>
              </th>
              <td className="nowrap">{f.slice ?? <span className="muted">all examples</span>}</td>
              <Numbers f={f} doc={doc} />
              <td>{actionInWords(f)}</td>
              <td>{f.owner ? <Email address={f.owner} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <DecisionErrors doc={doc} />

      <h2>Evidence</h2>
      {examples.length === 0 ? (
        <p className="state empty">No example-level evidence: no rule that failed compares examples.</p>
      ) : (
        examples.map(([metric, list]) => (
          <section key={metric} aria-labelledby={`ev-${metric}`} className="evidence">
            <h3 id={`ev-${metric}`}>
              {metric}: examples that fail in the candidate{doc.baseline.runId ? ' and passed in the baseline' : ''}
            </h3>
            <table className="metrics">
              <thead>
                <tr>
                  <th scope="col">Example</th>
                  <th scope="col">Slices</th>
                  <th scope="col">Candidate output</th>
                  {doc.baseline.runId && <th scope="col">Baseline output</th>}
                  <th scope="col">Why it fails</th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.exampleId}>
                    <th scope="row">
                      <Link to={`${base}/datasets/${encodeURIComponent(doc.candidate.dataset.name)}/examples/${encodeURIComponent(e.exampleId)}?version=${doc.candidate.dataset.version}`}>
                        <code>{e.exampleId}</code>
                      </Link>
                    </th>
                    <td>
                      {e.slices.map((s) => (
                        <span key={s} className={`chip${slices.includes(s) ? ' fail' : ''}`}>
                          {s}
                        </span>
                      ))}
                    </td>
                    <td className="output">
                      <OutputCell value={e.candidateOutput} label={`Candidate conversation of ${e.exampleId}`} />
                    </td>
                    {doc.baseline.runId && (
                      <td className="output">
                        <OutputCell value={e.baselineOutput} label={`Baseline conversation of ${e.exampleId}`} />
                      </td>
                    )}
                    <td>{e.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
      <p className="meta">
        Every result: <Link to={`${base}/runs/${doc.candidate.runId}`}>candidate run</Link>
        {doc.baseline.runId && (
          <>
            {' · '}
            <Link to={`${base}/runs/${doc.baseline.runId}`}>baseline run</Link>
          </>
        )}
      </p>

      {doc.baseline.runId && <WorstTranscripts baselineRunId={doc.baseline.runId} candidateRunId={doc.candidate.runId} />}

      <h2>Owners</h2>
      {failed.length === 0 ? (
        <p className="state empty">No rule failed, so no owner is asked.</p>
      ) : (
        <ul className="owners">
          {[...new Map(failed.map((f) => [f.metric, f.owner])).entries()].map(([metric, owner]) => (
            <li key={metric}>
              <strong>{metric}</strong>: {owner ?? <span className="fail">no owner — only a gate admin may override</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="meta">Gate admins: {doc.policy.admins.length ? doc.policy.admins.join(', ') : 'none named in the policy (admin keys act as gate admins)'}.</p>

      <h2>Overrides</h2>
      {doc.overrides.length === 0 ? (
        <p className="state empty">No overrides.</p>
      ) : (
        <ol className="events" aria-label="Overrides">
          {doc.overrides.map((o) => (
            <li key={o.id}>
              <time dateTime={o.createdAt}>{when(o.createdAt)}</time>
              <span className="actor">
                {o.actor} ({o.role})
              </span>
              <span>
                set <OutcomeBadge outcome={o.outcome} rolloutPercent={o.rolloutPercent} />: {o.reason}
              </span>
              <a href={o.evidenceUrl} target="_blank" rel="noreferrer noopener">
                evidence
              </a>
            </li>
          ))}
        </ol>
      )}
      {overrideShown.current && <OverrideForm decisionId={doc.decisionId} project={project} mayOverride={mayOverride} />}

      <h2>Policy</h2>
      <ol className="rules">
        {doc.policy.rules.map((r) => (
          <li key={r}>
            <code>{r}</code>
          </li>
        ))}
      </ol>
    </article>
  );
}

/** An output as evidence: a conversation turn by turn (cut, with a control to show it all), anything else as text. */
function OutputCell({ value, label }: { value: unknown; label: string }) {
  const transcript = asTranscriptView(value);
  return transcript ? <TranscriptPreview transcript={transcript} label={label} /> : <>{text(value)}</>;
}

/**
 * "Dataset covers X% of the last 7 days' traffic", per window the decision measured with sliced
 * production traffic, linking to the dataset's coverage view.
 */
function CoverageLines({ doc }: { doc: Decision }) {
  const shown = (doc.coverage ?? []).filter((m) => m.coveredShare !== null);
  if (shown.length === 0) return null;
  const to = `/p/${encodeURIComponent(doc.project)}/datasets/${encodeURIComponent(doc.candidate.dataset.name)}/coverage`;
  return (
    <section className="coverage-lines" aria-label="Coverage of production">
      {shown.map((m) => (
        <p key={m.days} className="coverage-line">
          Dataset covers <strong>{pct(m.coveredShare)}</strong> of the last {m.days} days' traffic ({m.covered} of {m.sliced} traces in slices with at least {m.minExamples} examples)
          {m.uncovered.length > 0 && (
            <>
              ; most uncovered:{' '}
              {m.uncovered.slice(0, 3).map((u) => (
                <span key={u.slice} className="chip fail">
                  {u.slice} {pct(u.share)}
                </span>
              ))}
            </>
          )}{' '}
          · <Link to={to}>coverage</Link>
        </p>
      ))}
    </section>
  );
}

/** An address that may break before its @ in a narrow column. */
function Email({ address }: { address: string }) {
  const at = address.indexOf('@');
  if (at < 1) return <>{address}</>;
  return (
    <>
      {address.slice(0, at)}
      <wbr />
      {address.slice(at)}
    </>
  );
}

/** The example evidence of failed findings, per metric, each example once. */
function failedExamples(failed: readonly Finding[]): Array<[string, NonNullable<Finding['evidence']['examples']>]> {
  const byMetric = new Map<string, Map<string, NonNullable<Finding['evidence']['examples']>[number]>>();
  for (const f of failed) {
    for (const e of f.evidence.examples ?? []) {
      const seen = byMetric.get(f.metric) ?? new Map();
      if (!seen.has(e.exampleId)) seen.set(e.exampleId, e);
      byMetric.set(f.metric, seen);
    }
  }
  return [...byMetric.entries()].map(([m, seen]) => [m, [...seen.values()]]);
}
