import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { ms, text, when } from '../components/format';
import { QueryView, Empty } from '../components/states';
import { asTranscriptView } from '../components/transcript';
import { TranscriptPreview } from '../components/transcript-preview';

const fetchExample = async (project: string, dataset: string, exampleId: string, version: string) =>
  unwrap(await api.GET('/projects/{project}/datasets/{dataset}/examples/{exampleId}', { params: { path: { project, dataset, exampleId }, query: version ? { version } : {} } }));
type ExampleDoc = Awaited<ReturnType<typeof fetchExample>>;
type Example = ExampleDoc['example'];
type ExampleRun = ExampleDoc['runs'][number];

const SOURCE_WORDS: Readonly<Record<string, string>> = {
  trace: 'promoted from production (a trace or a session)',
  escalation: 'promoted from a human review',
  adversarial: 'written to attack the system',
  synthetic: 'generated, then accepted by a reviewer',
  manual: 'written by hand',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A value as a block: a string as it is, anything else as indented JSON. */
function Value({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="value" aria-label={label} tabIndex={0}>
      {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
    </pre>
  );
}

const Field = ({ name, children }: { name: string; children: ReactNode }) => (
  <>
    <dt>{name}</dt>
    <dd>{children}</dd>
  </>
);

/**
 * `/p/:project/datasets/:dataset/examples/:exampleId?version=…`: one example of a dataset version —
 * its input (or its conversation: scripted turns, or a scenario's persona, goal, facts and turn
 * limit), expected outcome, slices, critical flag, source with the provenance its metadata records,
 * the metadata itself, and its results in the latest runs of the dataset.
 */
export function DatasetExamplePage() {
  const { project = '', dataset = '', exampleId = '' } = useParams();
  const version = useSearchParams()[0].get('version') ?? '';
  const query = useQuery({ queryKey: ['dataset-example', project, dataset, exampleId, version], queryFn: () => fetchExample(project, dataset, exampleId, version) });
  const base = `/p/${encodeURIComponent(project)}`;
  const datasetPath = `${base}/datasets/${encodeURIComponent(dataset)}`;
  return (
    <article aria-labelledby="example-title" className="example-page">
      <p className="crumbs">
        <Link to={`${base}/datasets`}>Datasets</Link> / <Link to={version ? `${datasetPath}?version=${encodeURIComponent(version)}` : datasetPath}>{dataset}</Link> /
      </p>
      <h1 id="example-title">
        Example <code>{exampleId}</code>
      </h1>
      <QueryView query={query} what="the example">
        {(d) => <ExampleView doc={d} base={base} datasetPath={datasetPath} />}
      </QueryView>
    </article>
  );
}

function ExampleView({ doc, base, datasetPath }: { doc: ExampleDoc; base: string; datasetPath: string }) {
  const e = doc.example;
  const conversation = e.conversation;
  return (
    <>
      <p className="meta">
        {doc.critical && (
          <>
            <span className="badge block" title="metadata.critical: always in every subset a PR gate draws">
              critical
            </span>{' '}
          </>
        )}
        Dataset <Link to={`${datasetPath}?version=${doc.version}`}>{doc.dataset}</Link> version <code title={doc.version}>{doc.version.slice(0, 12)}</code> · created {when(doc.createdAt)} · source <strong>{e.source}</strong>
        {conversation ? ` · ${conversation.kind === 'turns' ? 'scripted conversation' : 'simulated-user scenario'}` : ''}
      </p>
      {conversation?.kind === 'turns' ? (
        <>
          <h2>Conversation</h2>
          <ol className="conversation-turns" aria-label="Scripted turns">
            {conversation.turns.map((t, i) => (
              <li key={i}>
                <span className="muted">User:</span> {t.user}
                {t.expected !== undefined && (
                  <>
                    {' '}
                    <span className="muted">· expected:</span> {text(t.expected)}
                  </>
                )}
              </li>
            ))}
          </ol>
        </>
      ) : conversation?.kind === 'scenario' ? (
        <>
          <h2>Scenario</h2>
          <dl className="fields scenario">
            <Field name="Persona">{conversation.scenario.persona}</Field>
            <Field name="Goal">{conversation.scenario.goal}</Field>
            <Field name="Facts">{Object.keys(conversation.scenario.facts).length === 0 ? <span className="muted">none</span> : <Facts facts={conversation.scenario.facts} />}</Field>
            <Field name="Max turns">{conversation.scenario.maxTurns}</Field>
            {conversation.scenario.opening !== undefined && <Field name="Opening">{conversation.scenario.opening}</Field>}
            {conversation.scenario.expected !== undefined && <Field name="End state">{text(conversation.scenario.expected)}</Field>}
          </dl>
        </>
      ) : (
        <>
          <h2>Input</h2>
          <Value value={e.input} label="Input" />
        </>
      )}
      <h2>Expected</h2>
      {e.expected === undefined ? <Empty>No expected value: only scorers that need none apply.</Empty> : <Value value={e.expected} label="Expected" />}
      <h2>Slices</h2>
      {e.slices.length === 0 ? (
        <Empty>In no slice.</Empty>
      ) : (
        <ul className="chips" aria-label="Slices of the example">
          {e.slices.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      <h2>Source</h2>
      <p>
        <strong>{e.source}</strong>: {SOURCE_WORDS[e.source] ?? e.source}.
      </p>
      <Provenance example={e} base={base} />
      <h2>Metadata</h2>
      {Object.keys(e.metadata).length === 0 ? <Empty>No metadata.</Empty> : <Value value={e.metadata} label="Metadata" />}
      <h2>Latest results</h2>
      <LatestResults doc={doc} base={base} datasetPath={datasetPath} />
    </>
  );
}

function Facts({ facts }: { facts: Record<string, unknown> }) {
  return (
    <ul className="facts-list">
      {Object.entries(facts).map(([k, v]) => (
        <li key={k}>
          <code>{k}</code>: {text(v)}
        </li>
      ))}
    </ul>
  );
}

/** What the metadata says of where the example came from, with links to what is still in EvalOps. */
function Provenance({ example, base }: { example: Example; base: string }) {
  const m = example.metadata;
  const triage = isRecord(m['triage']) ? m['triage'] : null;
  const triageSource = triage && isRecord(triage['source']) ? triage['source'] : null;
  const session = isRecord(m['session']) ? m['session'] : null;
  const traceId = str(m['traceId']) ?? str(triageSource?.['trace']);
  const sessionId = str(m['sessionId']) ?? str(session?.['id']);
  const runId = str(m['runId']) ?? str(triageSource?.['run']);
  const queue = str(m['reviewQueue']);
  const cluster = triage && isRecord(triage['cluster']) ? str(triage['cluster']['name']) : null;
  const rows: [string, ReactNode][] = [];
  if (traceId) rows.push(['Trace', <Link to={`${base}/traces/${encodeURIComponent(traceId)}`}>{traceId}</Link>]);
  if (sessionId) rows.push(['Session', <Link to={`${base}/sessions/${encodeURIComponent(sessionId)}`}>{sessionId}</Link>]);
  if (runId) rows.push(['Run', <>
    <Link to={`${base}/runs/${encodeURIComponent(runId)}`}>{runId}</Link>
    {str(m['exampleId']) && <> (example <code>{str(m['exampleId'])}</code>)</>}
  </>]);
  if (queue) rows.push(['Review queue', <>
    <Link to={`${base}/review/${encodeURIComponent(queue)}`}>{queue}</Link>
    {str(m['humanLabel']) && <> · labelled <strong>{str(m['humanLabel'])}</strong>{str(m['labelledBy']) ? ` by ${str(m['labelledBy'])}` : ''}</>}
  </>]);
  if (cluster) rows.push(['Triage cluster', <>{cluster}{str(triage?.['failureReason']) ? ` — ${str(triage?.['failureReason'])}` : ''}</>]);
  if (str(m['generatedBy'])) rows.push(['Generated by', <>{str(m['generatedBy'])}{Array.isArray(m['acceptedBy']) && m['acceptedBy'].length > 0 ? `, accepted by ${m['acceptedBy'].join(', ')}` : ''}</>]);
  if (str(m['release'])) rows.push(['Release', str(m['release'])]);
  if (str(m['model'])) rows.push(['Model', str(m['model'])]);
  if (rows.length === 0) return <p className="muted">No provenance recorded in the metadata.</p>;
  return (
    <dl className="fields provenance" aria-label="Provenance">
      {rows.map(([name, value]) => (
        <Field key={name} name={name}>
          {value}
        </Field>
      ))}
    </dl>
  );
}

function LatestResults({ doc, base, datasetPath }: { doc: ExampleDoc; base: string; datasetPath: string }) {
  if (doc.runs.length === 0) return <Empty>No run has answered this example yet.</Empty>;
  const rows = doc.runs.flatMap((run) => run.results.map((r) => ({ run, r })));
  return (
    <table className="metrics example-runs">
      <caption>The latest runs of the dataset that answered this example, newest first (every trial).</caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Target</th>
          <th scope="col">Version</th>
          <th scope="col">Output</th>
          <th scope="col">Scores</th>
          <th scope="col" className="num">
            Latency
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ run, r }) => (
          <tr key={`${run.runId}#${r.trial}`}>
            <th scope="row">
              <Link to={`${base}/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</Link>
              {r.trial > 0 && <span className="muted"> trial {r.trial + 1}</span>}
              <br />
              <span className="muted">{when(run.startedAt)}</span>
            </th>
            <td>{run.target.name ?? run.target.variant.slice(0, 8)}</td>
            <td>{run.sameVersion ? 'this version' : <OtherVersion run={run} exampleId={doc.example.id} datasetPath={datasetPath} />}</td>
            <td className="output">
              <ResultOutput run={run} result={r} />
            </td>
            <td>
              <span className="scores">
                {Object.entries(r.scores).map(([m, s]) => (
                  <span key={m} className={`score ${s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}`} title={s.reason ?? ''}>
                    {m}: {s.status !== 'scored' ? s.status : s.pass ? 'pass' : 'fail'}
                  </span>
                ))}
              </span>
            </td>
            <td className="num">{ms(r.latencyMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OtherVersion({ run, exampleId, datasetPath }: { run: ExampleRun; exampleId: string; datasetPath: string }) {
  return (
    <Link to={`${datasetPath}/examples/${encodeURIComponent(exampleId)}?version=${run.version}`} title="the run was over another version, where the example may read differently">
      {run.version.slice(0, 12)}
    </Link>
  );
}

function ResultOutput({ run, result }: { run: ExampleRun; result: ExampleRun['results'][number] }) {
  if (result.error !== undefined) return <span className="fail">error: {result.error}</span>;
  const transcript = asTranscriptView(result.output);
  if (transcript) return <TranscriptPreview transcript={transcript} label={`Conversation in run ${run.runId}${result.trial > 0 ? ` trial ${result.trial + 1}` : ''}`} />;
  return <span className="clip">{text(result.output)}</span>;
}
