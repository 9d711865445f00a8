import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { operations } from '../api/schema.gen';
import { usd, when } from './format';
import { Empty, QueryView } from './states';

type TraceOnlineScoresAnswer = operations['getTraceOnlineScores']['responses'][200]['content']['application/json'];
type RuleRecord = TraceOnlineScoresAnswer['rules'][number];
type OnlineScore = RuleRecord['scores'][number];

/** pass or FAIL for a scored metric; the status itself when the scorer errored or skipped it. */
function verdictOf(s: OnlineScore): { readonly text: string; readonly className: string } {
  if (s.status !== 'scored') return { text: s.status, className: s.status };
  if (s.pass === null) return { text: 'scored', className: 'skipped' };
  return s.pass ? { text: 'pass', className: 'pass' } : { text: 'FAIL', className: 'fail' };
}

/** Why the rule picked the trace: its sample, a flag (error, frustration, …), or both. */
function pickedBy(r: RuleRecord): string {
  const flagged = r.flags.length > 0 ? `flagged: ${r.flags.join(', ')}` : '';
  if (!r.sampled) return flagged || 'flagged';
  return flagged ? `sampled · ${flagged}` : 'sampled';
}

function RuleScores({ record, titleId }: { record: RuleRecord; titleId: string }) {
  return (
    <div className="online-rule">
      <h3 id={titleId}>
        Rule {record.rule} <span className={`badge ${record.sampled ? 'sampled' : 'flagged'}`}>{pickedBy(record)}</span>
      </h3>
      <p className="meta">
        scored {when(record.scoredAt)} · scoring cost {usd(record.scoringCostUsd)}
      </p>
      {record.scores.length === 0 ? (
        <Empty>The rule stored no score for this trace.</Empty>
      ) : (
        <table className="metrics online-scores" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Result</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col">Label</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {record.scores.map((s) => {
              const verdict = verdictOf(s);
              return (
                <tr key={s.metric}>
                  <th scope="row" title={`scorer ${s.scorerVersion}`}>
                    {s.metric}
                  </th>
                  <td>
                    <span className={`score ${verdict.className}`}>{verdict.text}</span>
                  </td>
                  <td className="num">{s.value === null ? '—' : s.value.toFixed(2)}</td>
                  <td>{s.label ?? '—'}</td>
                  <td className="reason">{s.reason ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * What the online rules made of one trace: per rule, whether its sample or a flag picked the trace,
 * when it was scored, and each metric's verdict with the label and the scorer's reason.
 */
export function TraceOnlineScores({ project, traceId }: { project: string; traceId: string }) {
  const query = useQuery({
    queryKey: ['trace-online-scores', project, traceId],
    queryFn: async () => unwrap(await api.GET('/projects/{project}/traces/{trace}/online-scores', { params: { path: { project, trace: traceId } } })),
  });
  return (
    <section className="trace-online-scores" aria-labelledby="online-scores-title">
      <h2 id="online-scores-title">Online scores</h2>
      <QueryView query={query} what="online scores">
        {(data) => (data.rules.length === 0 ? <Empty>No online rule scored this trace.</Empty> : data.rules.map((r, i) => <RuleScores key={r.rule} record={r} titleId={`online-rule-${i}`} />))}
      </QueryView>
    </section>
  );
}
