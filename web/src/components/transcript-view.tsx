import { useId } from 'react';
import { ms } from './format';
import { endedByText, type TranscriptView as Transcript, type TurnScore } from './transcript';

/**
 * A conversation turn by turn: the user's message, the tool calls the answer made (a failed call
 * shows its error), the answer (or the target's error), the per-turn scores when the turns carry
 * them, and for a simulated user its goal, persona and verdict after each turn. Used on run results,
 * review items and production sessions.
 */
export function TranscriptView({ transcript, label = 'Transcript' }: { transcript: Transcript; label?: string }) {
  const id = useId();
  return (
    <section className="transcript" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        {label} <span className="muted">· {transcript.turns.length} turn{transcript.turns.length === 1 ? '' : 's'}</span>
      </h3>
      {(transcript.goal !== undefined || transcript.persona !== undefined) && (
        <p className="transcript-goal">
          {transcript.persona !== undefined && (
            <>
              Simulated user: <em>{transcript.persona}</em>.{' '}
            </>
          )}
          {transcript.goal !== undefined && (
            <>
              Goal: <strong>{transcript.goal}</strong>
            </>
          )}
        </p>
      )}
      <ol className="transcript-turns">
        {transcript.turns.map((turn) => (
          <li key={turn.index} className={`turn${turn.error !== undefined ? ' turn-error' : ''}`} aria-label={`Turn ${turn.index + 1}`}>
            <div className="msg user">
              <span className="role">User</span>
              <p>{turn.user}</p>
            </div>
            {turn.toolCalls.length > 0 && (
              <ul className="turn-tools" aria-label={`Tool calls of turn ${turn.index + 1}`}>
                {turn.toolCalls.map((call, i) => (
                  <li key={i} className={call.error !== undefined ? 'tool-failed' : 'tool-ok'}>
                    <code>{call.name}</code>
                    {call.arguments !== undefined && <code className="tool-args">{compact(call.arguments)}</code>}
                    {call.error !== undefined ? (
                      <span className="fail"> failed: {call.error}</span>
                    ) : call.result !== undefined ? (
                      <span className="muted"> → {compact(call.result)}</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {turn.error !== undefined ? (
              <div className="msg error" role="note">
                <span className="role">Error</span>
                <p className="fail">{turn.error}</p>
              </div>
            ) : (
              <div className="msg assistant">
                <span className="role">Assistant</span>
                <p>{turn.text}</p>
              </div>
            )}
            <TurnFooter scores={turn.scores} latencyMs={turn.latencyMs} />
            {turn.verdict && (
              <p className="turn-verdict">
                Simulated user after this turn: {turn.verdict.done ? 'done' : 'continues'}
                {turn.verdict.done ? (turn.verdict.goalMet ? ', goal met' : ', goal not met') : ''}
              </p>
            )}
            {turn.rawUserAnswer !== undefined && <pre className="review-text">simulated user's malformed answer: {turn.rawUserAnswer}</pre>}
          </li>
        ))}
      </ol>
      <p className="transcript-end">
        Ended: {endedByText(transcript.endedBy)}
        {transcript.goalMet !== null && (
          <>
            {' '}
            · verdict: <span className={`score ${transcript.goalMet ? 'pass' : 'fail'}`}>{transcript.goalMet ? 'goal met' : 'goal not met'}</span>
          </>
        )}
      </p>
    </section>
  );
}

function TurnFooter({ scores, latencyMs }: { scores: readonly TurnScore[]; latencyMs: number | undefined }) {
  if (scores.length === 0 && latencyMs === undefined) return null;
  return (
    <p className="turn-meta">
      {latencyMs !== undefined && <span className="muted">{ms(latencyMs)}</span>}
      {scores.map((s) => (
        <span key={s.metric} className={`score ${s.pass === null ? 'errored' : s.pass ? 'pass' : 'fail'}`} title={s.reason ?? ''}>
          {s.metric}: {s.pass === null ? 'n/a' : s.pass ? 'pass' : 'fail'}
        </span>
      ))}
    </p>
  );
}

/** A value on one short line. */
function compact(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
