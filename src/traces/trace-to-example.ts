import type { Example } from '../core/example.js';
import type { Span, SpanIo } from '../core/span.js';

/**
 * A trace → a dataset example (`source: trace`): the root span's input becomes the input, its output
 * the `expected.reference` (a candidate reference a reviewer can keep or correct), and the trace's
 * identity, release and model go to metadata; slices come from `evalops.slice.*` attributes and the
 * release. The id is the trace id, so promoting the same trace twice gives the same example.
 */
export function traceToExample(spans: readonly Span[]): Example {
  const sorted = [...spans].sort((a, b) => a.startTimeMs - b.startTimeMs);
  const root = sorted.find((s) => s.parentSpanId === undefined) ?? (sorted[0] as Span);
  const withInput = root.input !== undefined ? root : sorted.find((s) => s.input !== undefined);
  const withOutput = root.output !== undefined ? root : [...sorted].reverse().find((s) => s.output !== undefined);
  const slices = new Set<string>();
  for (const [key, value] of Object.entries(root.attributes)) {
    const m = /^evalops\.slice\.([^\s:]+)$/.exec(key);
    if (m && (typeof value === 'string' || typeof value === 'number') && !/\s/.test(String(value))) slices.add(`${m[1]}:${value}`);
  }
  if (root.release && !/\s/.test(root.release)) slices.add(`release:${root.release}`);
  // The tools the trace ran (its TOOL spans); without any, the calls its model spans asked for. Not
  // both: a call asked for and then run would be counted twice.
  const ran = sorted.flatMap((s) => (s.kind === 'TOOL' && s.tool ? [{ name: s.tool.name, arguments: s.tool.arguments ?? {} }] : []));
  const toolCalls = ran.length > 0 ? ran : sorted.flatMap((s) => s.toolCalls.map((t) => ({ name: t.name, arguments: t.arguments })));
  const example: Example = {
    id: `trace_${root.traceId}`,
    input: ioValue(withInput?.input) ?? root.name,
    metadata: {
      traceId: root.traceId,
      spanName: root.name,
      ...(root.sessionId ? { sessionId: root.sessionId } : {}),
      ...(root.release ? { release: root.release } : {}),
      ...(sorted.find((s) => s.model)?.model ? { model: sorted.find((s) => s.model)?.model } : {}),
      ...(toolCalls.length ? { toolCalls } : {}),
    },
    slices: [...slices].sort(),
    source: 'trace',
  };
  const reference = ioValue(withOutput?.output);
  if (reference !== undefined) example.expected = { reference };
  return example;
}

function ioValue(io: SpanIo | undefined): unknown {
  if (io === undefined) return undefined;
  if (typeof io === 'string') {
    const t = io.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return JSON.parse(t) as unknown;
      } catch {
        return io;
      }
    }
    return io;
  }
  // Chat messages: the last user message is the input, the last assistant message the output.
  const last = [...io].reverse().find((m) => m.role === 'user' || m.role === 'assistant') ?? io[io.length - 1];
  return last?.content;
}
