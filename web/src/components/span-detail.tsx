import { usd } from './format';
import { dur } from './span-waterfall';
import type { Span, SpanMessage } from './trace-types';
import { SpanStatusBadge } from './trace-cells';

/** JSON of a value for reading: strings as they are, anything else indented. */
const json = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? '');

/** A span's input or output: plain text, or chat messages with their tool calls. */
function Io({ title, value }: { title: string; value: Span['input'] }) {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return null;
  return (
    <section className="io" aria-label={title}>
      <h3>{title}</h3>
      {typeof value === 'string' ? (
        <pre>{value}</pre>
      ) : (
        <ol className="messages">
          {value.map((m: SpanMessage, i) => (
            <li key={i} className={`message role-${m.role}`}>
              <span className="role">
                {m.role}
                {m.name ? ` (${m.name})` : ''}
                {m.toolCallId ? ` → ${m.toolCallId}` : ''}
              </span>
              {m.content && <pre>{m.content}</pre>}
              {m.toolCalls && m.toolCalls.length > 0 && <ToolCalls calls={m.toolCalls} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ToolCalls({ calls }: { calls: Span['toolCalls'] }) {
  return (
    <ul className="tool-calls" aria-label="Tool calls">
      {calls.map((c, i) => (
        <li key={c.id ?? i}>
          <span className="tool-name">
            Tool call <code>{c.name}</code>
            {c.id ? <span className="muted"> {c.id}</span> : null}
          </span>
          <pre>{json(c.arguments ?? {})}</pre>
        </li>
      ))}
    </ul>
  );
}

/**
 * One span in full: what it did (inputs and outputs as messages, tool calls with their arguments, the
 * tool it ran), with which model, at what cost and time, its status, and every attribute it carried.
 */
export function SpanDetail({ span, traceStartMs }: { span: Span; traceStartMs: number }) {
  const tokens = span.usage.totalTokens ?? (span.usage.inputTokens ?? 0) + (span.usage.outputTokens ?? 0);
  const facts: [string, string][] = [
    ['Kind', span.kind],
    ['Status', `${span.status}${span.statusMessage ? `: ${span.statusMessage}` : ''}`],
    ['Starts at', `+${dur(span.startTimeMs - traceStartMs)}`],
    ['Duration', dur(span.durationMs)],
    ...(span.model ? [['Model', `${span.model}${span.provider ? ` (${span.provider})` : ''}`] as [string, string]] : []),
    ...(tokens > 0 ? [['Tokens', `${tokens} (${span.usage.inputTokens ?? 0} in, ${span.usage.outputTokens ?? 0} out)`] as [string, string]] : []),
    ...(span.costUsd !== undefined ? [['Cost', usd(span.costUsd)] as [string, string]] : []),
  ];
  const attributes = Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <article className="span-detail" aria-labelledby="span-detail-title">
      <h2 id="span-detail-title">
        {span.name} <SpanStatusBadge status={span.status} />
      </h2>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {span.tool && (
        <section className="io" aria-label="Tool">
          <h3>
            Tool <code>{span.tool.name}</code>
          </h3>
          {span.tool.arguments !== undefined && (
            <>
              <h4>Arguments</h4>
              <pre>{json(span.tool.arguments)}</pre>
            </>
          )}
          {span.tool.result !== undefined && (
            <>
              <h4>Result</h4>
              <pre>{json(span.tool.result)}</pre>
            </>
          )}
        </section>
      )}
      <Io title="Input" value={span.input} />
      <Io title="Output" value={span.output} />
      {span.toolCalls.length > 0 && !Array.isArray(span.output) && (
        <section className="io" aria-label="Tool calls requested">
          <h3>Tool calls</h3>
          <ToolCalls calls={span.toolCalls} />
        </section>
      )}
      {span.events.length > 0 && (
        <section className="io" aria-label="Events">
          <h3>Events</h3>
          <ul className="events">
            {span.events.map((e, i) => (
              <li key={i}>
                <code>+{dur(e.timeMs - traceStartMs)}</code> {e.name} {Object.keys(e.attributes).length > 0 && <span className="muted">{JSON.stringify(e.attributes)}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <details className="attributes" open={attributes.length <= 20}>
        <summary>Attributes ({attributes.length})</summary>
        <table className="metrics">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {attributes.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">
                  <code>{k}</code>
                </th>
                <td className="attr-value">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </article>
  );
}
