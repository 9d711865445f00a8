import type { PlaygroundItem, PlaygroundRun } from './playground-api';

/**
 * Dollars to three significant digits (format.ts's `usd` keeps four decimals, and one playground call
 * costs a fraction of that); "cost unknown" when the provider has no pricing.
 */
export function preciseUsd(value: number | null): string {
  if (value === null) return 'cost unknown';
  return value === 0 ? '$0' : value < 0.01 ? `$${value.toPrecision(3)}` : `$${value.toFixed(4)}`;
}

function Totals({ run, label }: { run: PlaygroundRun; label: string }) {
  const t = run.totals;
  return (
    <li>
      <strong>{label}</strong> · <code>{run.model}</code> · {preciseUsd(t.costUsd)} · {t.inputTokens} input / {t.outputTokens} output tokens · slowest {t.latencyMsMax} ms
      {t.errors > 0 && <span className="fail"> · {t.errors} failed</span>}
    </li>
  );
}

function Result({ item }: { item: PlaygroundItem | undefined }) {
  if (item === undefined) return <td className="muted">—</td>;
  return (
    <td>
      {item.error !== null ? (
        <p className="error">{item.error}</p>
      ) : (
        <pre className="output">
          {item.output}
          {item.truncated && '…'}
        </pre>
      )}
      {item.toolCalls.length > 0 && <p className="muted">tools: {item.toolCalls.map((c) => c.name).join(', ')}</p>}
      <ul className="scores" aria-label="Scores">
        {item.scores.map((s) => (
          <li key={s.metric} className={`score ${s.pass === true ? 'pass' : s.pass === false ? 'fail' : 'muted'}`} title={s.reason ?? undefined}>
            {s.metric}: {s.pass === true ? 'pass' : s.pass === false ? 'fail' : s.status}
          </li>
        ))}
      </ul>
      <p className="muted">
        {preciseUsd(item.costUsd)} · {item.inputTokens ?? '?'} / {item.outputTokens ?? '?'} tokens · {item.latencyMs} ms
      </p>
    </td>
  );
}

/** The draft's outputs beside the live config's, example by example, with scores, tokens, cost and latency. */
export function PlaygroundResults({ draft, live, liveName }: { draft: PlaygroundRun; live: PlaygroundRun | null; liveName: string | null }) {
  const liveById = new Map((live?.items ?? []).map((i) => [i.id, i]));
  return (
    <section aria-labelledby="playground-results" className="panel">
      <h2 id="playground-results">Results</h2>
      <ul className="playground-totals" aria-label="Totals">
        <Totals run={draft} label="Draft" />
        {live && <Totals run={live} label={`Live (${liveName ?? 'live'})`} />}
      </ul>
      <p className="muted">{draft.metricsNote ?? `Scored by ${draft.metrics.join(', ')} (the deterministic metrics of the server's config).`}</p>
      <div className="table-scroll">
        <table className="table playground-table" aria-label="Playground results">
          <thead>
            <tr>
              <th scope="col">Example</th>
              <th scope="col">Draft</th>
              {live && <th scope="col">Live ({liveName ?? 'live'})</th>}
            </tr>
          </thead>
          <tbody>
            {draft.items.map((item) => (
              <tr key={item.id}>
                <th scope="row">
                  <code>{item.id}</code>
                  <pre className="output muted">{typeof item.input === 'string' ? item.input : JSON.stringify(item.input, null, 1)}</pre>
                </th>
                <Result item={item} />
                {live && <Result item={liveById.get(item.id)} />}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
