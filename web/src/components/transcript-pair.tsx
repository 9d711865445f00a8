import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

/**
 * The worst conversations of a comparison, baseline and candidate side by side (the decision page):
 * each turn's user message, tool calls (failed ones marked) and answer, how the conversation ended,
 * and the metrics the candidate lost. Self-contained: it fetches
 * `GET /runs/{baseline}/compare/{candidate}/transcripts` and renders nothing when the comparison has
 * no conversation.
 */

export const fetchWorstTranscripts = async (baselineRunId: string, candidateRunId: string, limit = 3) =>
  unwrap(await api.GET('/runs/{baselineRunId}/compare/{candidateRunId}/transcripts', { params: { path: { baselineRunId, candidateRunId }, query: { limit } } }));
export type TranscriptPairs = Awaited<ReturnType<typeof fetchWorstTranscripts>>;
type Pair = TranscriptPairs['items'][number];
type Side = Pair['baseline'];
type Turn = NonNullable<Side['transcript']>['turns'][number];

const ENDED: Record<string, string> = { 'script-end': 'script ended', 'user-done': 'the user ended it', 'max-turns': 'hit the turn limit', error: 'ended in a target error' };

/** The worst transcripts section, or nothing when the runs hold no conversation. */
export function WorstTranscripts({ baselineRunId, candidateRunId }: { baselineRunId: string; candidateRunId: string }) {
  const query = useQuery({ queryKey: ['worst-transcripts', baselineRunId, candidateRunId], queryFn: () => fetchWorstTranscripts(baselineRunId, candidateRunId) });
  if (query.isPending || query.error || !query.data || query.data.items.length === 0) return null;
  return (
    <section aria-labelledby="worst-transcripts-title" className="transcript-pairs">
      <h2 id="worst-transcripts-title">Worst conversations</h2>
      <p className="meta">Candidate failed where the baseline passed first, then the lowest candidate scores. Paired by scenario and trial.</p>
      {query.data.items.map((pair) => (
        <TranscriptPair key={`${pair.exampleId}#${pair.trial}`} pair={pair} />
      ))}
    </section>
  );
}

/** One scenario × trial: the baseline's transcript beside the candidate's. */
export function TranscriptPair({ pair }: { pair: Pair }) {
  const title = `${pair.exampleId}${pair.trial > 0 ? ` (trial ${pair.trial + 1})` : ''}`;
  return (
    <article className="transcript-pair" aria-label={`Conversation ${title}`}>
      <h3>
        <code>{pair.exampleId}</code>
        {pair.trial > 0 && <span className="muted"> trial {pair.trial + 1}</span>}
        {pair.lost.map((m) => (
          <span key={m} className="chip fail" title="passed in the baseline, fails in the candidate">
            {m}
          </span>
        ))}
      </h3>
      <div className="transcript-columns">
        <TranscriptSide label="Baseline" side={pair.baseline} />
        <TranscriptSide label="Candidate" side={pair.candidate} />
      </div>
    </article>
  );
}

function TranscriptSide({ label, side }: { label: string; side: Side }) {
  const t = side.transcript;
  const failed = Object.entries(side.scores).filter(([, s]) => s.status === 'scored' && s.pass === false);
  return (
    <section className="transcript" aria-label={label}>
      <h4>{label}</h4>
      {t === null ? (
        <p className="state error">{side.error ? `No conversation: ${side.error}` : 'No conversation for this side.'}</p>
      ) : (
        <>
          <p className="meta">
            {t.turns.length} {t.turns.length === 1 ? 'turn' : 'turns'}, {ENDED[t.endedBy] ?? t.endedBy}
            {t.goalMet !== null && <> · goal {t.goalMet ? 'met' : 'not met'} (simulated user)</>}
            {t.goal && (
              <>
                {' '}
                · goal: <em>{t.goal}</em>
              </>
            )}
          </p>
          <ol className="turns">
            {t.turns.map((turn) => (
              <TurnView key={turn.index} turn={turn} />
            ))}
          </ol>
        </>
      )}
      {failed.length > 0 && (
        <ul className="failed-scores">
          {failed.map(([metric, s]) => (
            <li key={metric}>
              <strong>{metric}</strong>: {s.reason ?? 'failed'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TurnView({ turn }: { turn: Turn }) {
  return (
    <li className={turn.error !== undefined ? 'turn errored' : 'turn'}>
      <p className="msg user">
        <span className="role">user</span> {turn.user}
      </p>
      {turn.toolCalls.map((c, i) => (
        <p key={i} className={`msg tool${c.error !== undefined ? ' fail' : ''}`}>
          <span className="role">tool</span> <code>{c.name}</code> <code className="args">{JSON.stringify(c.arguments ?? {})}</code>
          {c.error !== undefined && <span className="fail"> failed: {c.error}</span>}
        </p>
      ))}
      {turn.error !== undefined ? (
        <p className="msg fail">
          <span className="role">error</span> {turn.error}
        </p>
      ) : (
        <p className="msg assistant">
          <span className="role">assistant</span> {turn.text}
        </p>
      )}
    </li>
  );
}
