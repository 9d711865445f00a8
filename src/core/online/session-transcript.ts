import type { Span, SpanIo } from '../span.js';
import type { ToolCall } from '../target-output.js';
import type { Transcript, TranscriptTurn } from '../transcript.js';

/** The span attribute an application sets (to true) on a span of a session's last trace to end it. */
export const SESSION_END_ATTRIBUTE = 'evalops.session.end';

/** Whether a span says its session ended: the attribute is `true` (or the string "true"). */
export function endsSession(span: Pick<Span, 'attributes'>): boolean {
  const v = span.attributes[SESSION_END_ATTRIBUTE];
  return v === true || v === 'true';
}

/**
 * A production session as a transcript: one turn per trace, in start order. The trace's root input
 * is the user's message (the last user message of a chat), its output the assistant's answer (the
 * last assistant message); its TOOL spans are the turn's tool calls, with the tool's result and, for
 * a span in error, its status message as the call's error. A root span in error marks the turn
 * errored. The transcript ends `user-done` when a span carried `evalops.session.end`, `error` when
 * the last turn failed, else `script-end` (the session went idle).
 * @example sessionTranscript([[rootSpan]]).turns[0].user // the root span's input text
 */
export function sessionTranscript(traces: readonly (readonly Span[])[]): Transcript {
  const ordered = traces.filter((t) => t.length > 0).map((t) => [...t].sort((a, b) => a.startTimeMs - b.startTimeMs)).sort((a, b) => rootOf(a).startTimeMs - rootOf(b).startTimeMs);
  const turns: TranscriptTurn[] = ordered.map((spans, index) => turnOf(spans, index));
  const ended = ordered.some((spans) => spans.some(endsSession));
  const last = turns.at(-1);
  return { kind: 'transcript', turns, endedBy: last?.error !== undefined ? 'error' : ended ? 'user-done' : 'script-end', goalMet: null };
}

function turnOf(spans: readonly Span[], index: number): TranscriptTurn {
  const root = rootOf(spans);
  const withInput = root.input !== undefined ? root : spans.find((s) => s.input !== undefined);
  const withOutput = root.output !== undefined ? root : [...spans].reverse().find((s) => s.output !== undefined);
  const text = textOf(withOutput?.output, 'assistant') ?? '';
  const ran: ToolCall[] = spans.flatMap((s) =>
    s.kind === 'TOOL' && s.tool
      ? [
          {
            name: s.tool.name,
            arguments: s.tool.arguments ?? {},
            ...(s.tool.result === undefined ? {} : { result: s.tool.result }),
            ...(s.status === 'error' ? { error: s.statusMessage || 'the tool failed' } : {}),
          },
        ]
      : [],
  );
  const toolCalls = ran.length > 0 ? ran : spans.flatMap((s) => s.toolCalls.map((t) => ({ name: t.name, arguments: t.arguments ?? {} })));
  const cost = spans.some((s) => s.costUsd !== undefined) ? spans.reduce((sum, s) => sum + (s.costUsd ?? 0), 0) : undefined;
  return {
    index,
    user: textOf(withInput?.input, 'user') ?? root.name,
    output: text,
    text,
    toolCalls,
    latencyMs: root.durationMs,
    ...(cost === undefined ? {} : { costUsd: cost }),
    ...(root.status === 'error' ? { error: root.statusMessage || 'the trace ended in error' } : {}),
  };
}

function rootOf(spans: readonly Span[]): Span {
  return spans.find((s) => s.parentSpanId === undefined) ?? (spans[0] as Span);
}

/** Text of a span's input or output: the string, or the last message of that role in a chat. */
function textOf(io: SpanIo | undefined, role: 'user' | 'assistant'): string | undefined {
  if (io === undefined) return undefined;
  if (typeof io === 'string') return io;
  return [...io].reverse().find((m) => m.role === role)?.content ?? io.at(-1)?.content;
}
