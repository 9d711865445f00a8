import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ms, text } from '../components/format';
import { OutputDiff } from '../components/output-diff';
import { QueryView } from '../components/states';

type Score = { status: string; pass: boolean | null; label?: string; reason?: string };

/** One example of a comparison: input and expectation, both runs' outputs side by side (word diff), and their scores. */
export function CompareExample({ baseline, candidate, exampleId }: { baseline: string; candidate: string; exampleId: string }) {
  const query = useQuery({
    queryKey: ['compared-example', baseline, candidate, exampleId],
    queryFn: async () => unwrap(await api.GET('/runs/{baselineRunId}/compare/{candidateRunId}/examples/{exampleId}', { params: { path: { baselineRunId: baseline, candidateRunId: candidate, exampleId } } })),
  });
  return (
    <section aria-labelledby="example-title" className="panel">
      <h2 id="example-title">
        Example <code>{exampleId}</code>
      </h2>
      <QueryView query={query} what="the example">
        {(d) => {
          const b = d.baseline[0];
          const c = d.candidate[0];
          const metrics = [...new Set([...Object.keys(b?.scores ?? {}), ...Object.keys(c?.scores ?? {})])];
          return (
            <>
              <dl className="fields">
                <dt>Input</dt>
                <dd>
                  <pre className="output">{text(d.example.input)}</pre>
                </dd>
                <dt>Expected</dt>
                <dd>
                  <pre className="output">{d.example.expected === undefined ? '—' : text(d.example.expected)}</pre>
                </dd>
                <dt>Slices</dt>
                <dd>{d.example.slices.join(', ') || '—'}</dd>
              </dl>
              <h3>Outputs</h3>
              <OutputDiff before={b?.error ? `error: ${b.error}` : b?.output} after={c?.error ? `error: ${c.error}` : c?.output} beforeLabel={`Baseline ${baseline}`} afterLabel={`Candidate ${candidate}`} />
              <table className="metrics compact">
                <caption>Scores of the first trial in each run{d.baseline.length > 1 || d.candidate.length > 1 ? ` (${d.baseline.length} and ${d.candidate.length} trials)` : ''}</caption>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col">Baseline</th>
                    <th scope="col">Candidate</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.map((m) => (
                    <tr key={m}>
                      <th scope="row">{m}</th>
                      <td>{scoreText(b?.scores[m])}</td>
                      <td>{scoreText(c?.scores[m])}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">tool calls</th>
                    <td>{b?.toolCalls.map((t) => t.name).join(', ') || '—'}</td>
                    <td>{c?.toolCalls.map((t) => t.name).join(', ') || '—'}</td>
                  </tr>
                  <tr>
                    <th scope="row">latency</th>
                    <td>{ms(b?.latencyMs)}</td>
                    <td>{ms(c?.latencyMs)}</td>
                  </tr>
                </tbody>
              </table>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function scoreText(s: Score | undefined) {
  if (!s) return '—';
  const outcome = s.status !== 'scored' ? s.status : s.pass === null ? 'scored' : s.pass ? 'pass' : 'fail';
  return (
    <span className={`score ${outcome}`} title={s.reason ?? ''}>
      {outcome}
      {s.label ? ` (${s.label})` : ''}
      {s.reason ? ` — ${s.reason}` : ''}
    </span>
  );
}
