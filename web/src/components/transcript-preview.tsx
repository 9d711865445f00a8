import { useState } from 'react';
import { endedByText, type TranscriptToolCall, type TranscriptView } from './transcript';

/** Turns shown before "Show all", and characters of a message before it is cut. */
const TURNS = 2;
const CHARS = 160;

const cut = (s: string, open: boolean): string => (open || s.length <= CHARS ? s : `${s.slice(0, CHARS - 1)}…`);
const compact = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

/**
 * A conversation in a table cell (the decision page's evidence, the example page's results): its
 * first turns with role labels, tool calls with their result or error, long messages cut, and a
 * button that shows every turn in full. The whole transcript with per-turn scores is TranscriptView.
 */
export function TranscriptPreview({ transcript, label }: { transcript: TranscriptView; label: string }) {
  const [open, setOpen] = useState(false);
  const total = transcript.turns.length;
  const turns = open ? transcript.turns : transcript.turns.slice(0, TURNS);
  const hidden = total > TURNS || transcript.turns.some((t) => t.user.length > CHARS || t.text.length > CHARS || (t.error?.length ?? 0) > CHARS || t.toolCalls.some((c) => compact(c.arguments).length > CHARS || compact(c.result).length > CHARS));
  return (
    <div className="transcript-preview" role="group" aria-label={label}>
      <p className="meta">
        {total} turn{total === 1 ? '' : 's'} · ended: {endedByText(transcript.endedBy)}
        {transcript.goalMet !== null && <> · {transcript.goalMet ? 'goal met' : 'goal not met'}</>}
      </p>
      <ol className="preview-turns">
        {turns.map((turn) => (
          <li key={turn.index} className={turn.error !== undefined ? 'turn errored' : 'turn'}>
            <p className="msg user">
              <span className="role">User</span> {cut(turn.user, open)}
            </p>
            {turn.toolCalls.map((call, i) => (
              <ToolLine key={i} call={call} open={open} />
            ))}
            {turn.error !== undefined ? (
              <p className="msg error">
                <span className="role">Error</span> <span className="fail">{cut(turn.error, open)}</span>
              </p>
            ) : (
              <p className="msg assistant">
                <span className="role">Assistant</span> {cut(turn.text, open)}
              </p>
            )}
          </li>
        ))}
      </ol>
      {!open && total > TURNS && <p className="muted">… {total - TURNS} more turn{total - TURNS === 1 ? '' : 's'}</p>}
      {hidden && (
        <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : `Show all ${total} turn${total === 1 ? '' : 's'} in full`}
        </button>
      )}
    </div>
  );
}

function ToolLine({ call, open }: { call: TranscriptToolCall; open: boolean }) {
  return (
    <p className={`msg tool${call.error !== undefined ? ' fail' : ''}`}>
      <span className="role">Tool</span> <code>{call.name}</code>
      {call.arguments !== undefined && <code className="tool-args"> {cut(compact(call.arguments), open)}</code>}
      {call.error !== undefined ? <span className="fail"> failed: {cut(call.error, open)}</span> : call.result !== undefined ? <span className="muted"> → {cut(compact(call.result), open)}</span> : null}
    </p>
  );
}
