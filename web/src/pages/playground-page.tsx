import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { CopyablePre } from '../components/copyable-pre';
import { fetchDatasets, fetchExamples, fetchReleaseConfig, fetchReleases, runDraft, saveReleaseConfig, type DraftConfig, type PlaygroundRun, type PlaygroundSource } from '../components/playground-api';
import { PlaygroundResults } from '../components/playground-results';
import { Empty } from '../components/states';
import { useSession } from '../session/session-context';

const MAX_EXAMPLES = 20;
const EMPTY_DRAFT: DraftConfig = { prompts: { system: { template: 'You are a helpful support agent.' }, user: { template: '{{input.message}}' } }, model: { id: 'openai:gpt-4.1-mini', parameters: { temperature: 0 } } };

/**
 * The playground: edit a draft config (from a release's, the live one's, or a blank one), run it on
 * chosen dataset examples or a trace's input beside the live config, see outputs, scores and costs
 * side by side, and save the draft as a candidate release to `evalops run` and `evalops gate`.
 */
export function PlaygroundPage() {
  const { project = '' } = useParams();
  const { can } = useSession();
  if (!can('engineer')) return <Empty>The playground runs models on the project's providers: it needs an engineer key.</Empty>;
  return <Playground project={project} />;
}

function Playground({ project }: { project: string }) {
  const id = useId();
  const [search] = useSearchParams();
  const releases = useQuery({ queryKey: ['releases', project, 'playground'], queryFn: () => fetchReleases(project) });
  const live = releases.data?.releases.find((r) => r.status === 'live');
  const liveName = live ? (live.name ?? live.variant.slice(0, 12)) : null;
  const liveConfig = useQuery({ queryKey: ['release-config', project, live?.id], queryFn: () => fetchReleaseConfig(project, live!.id), enabled: live !== undefined });
  const [from, setFrom] = useState('');
  const [text, setText] = useState(JSON.stringify(EMPTY_DRAFT, null, 2));
  const [loaded, setLoaded] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [source, setSource] = useState<'examples' | 'trace'>(search.get('trace') ? 'trace' : 'examples');
  const [traceId, setTraceId] = useState(search.get('trace') ?? '');
  const [dataset, setDataset] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [compare, setCompare] = useState(true);
  const datasets = useQuery({ queryKey: ['datasets', project], queryFn: () => fetchDatasets(project) });
  const datasetName = dataset || datasets.data?.datasets[0]?.name || '';
  const examples = useQuery({ queryKey: ['playground-examples', project, datasetName], queryFn: () => fetchExamples(project, datasetName), enabled: datasetName !== '' });

  const load = useMutation({
    mutationFn: async (release: string) => (release === '' ? { config: EMPTY_DRAFT, configHash: '' } : fetchReleaseConfig(project, release)),
    onSuccess: (found, release) => {
      if (found === null) return setProblem(`Release ${release} has no config yet.`);
      setProblem(null);
      setText(JSON.stringify(found.config, null, 2));
      setLoaded(release === '' ? 'a blank draft' : `release ${releases.data?.releases.find((r) => r.id === release)?.name ?? release}`);
    },
  });
  const run = useMutation<{ draft: PlaygroundRun; live: PlaygroundRun | null }, Error, { config: DraftConfig; source: PlaygroundSource; against: DraftConfig | null }>({
    mutationFn: async ({ config, source, against }) => {
      const [draft, baseline] = await Promise.all([runDraft(project, config, source), against === null ? Promise.resolve(null) : runDraft(project, against, source)]);
      return { draft, live: baseline };
    },
  });

  const parsed = (): DraftConfig | null => {
    try {
      const value = JSON.parse(text) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the draft must be a JSON object: { prompts, model, tools, data }');
      return value as DraftConfig;
    } catch (e) {
      setProblem(`Draft config: ${(e as Error).message}`);
      return null;
    }
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const config = parsed();
    if (config === null) return;
    if (source === 'trace' && traceId.trim() === '') return setProblem('Trace id: give the id of a stored trace.');
    if (source === 'examples' && chosen.length === 0) return setProblem('Examples: choose at least one.');
    setProblem(null);
    const against = compare && liveConfig.data ? liveConfig.data.config : null;
    run.mutate({ config, source: source === 'trace' ? { kind: 'trace', traceId: traceId.trim() } : { kind: 'examples', dataset: datasetName, exampleIds: chosen }, against });
  };
  const toggle = (exampleId: string): void => setChosen((c) => (c.includes(exampleId) ? c.filter((x) => x !== exampleId) : c.length >= MAX_EXAMPLES ? c : [...c, exampleId]));

  return (
    <article aria-labelledby={`${id}-title`} className="playground">
      <h1 id={`${id}-title`}>Playground · {project}</h1>
      <p className="hint">
        Edit a draft config and run it on up to {MAX_EXAMPLES} examples or a trace's input against its model, beside the live config. Nothing is stored until you save the draft as a candidate release.
      </p>
      <form onSubmit={submit} aria-label="Run the draft" className="playground-form">
        <section aria-labelledby={`${id}-draft`}>
          <h2 id={`${id}-draft`}>Draft</h2>
          <div className="inline-form">
            <label htmlFor={`${id}-from`}>Start from</label>
            <select id={`${id}-from`} value={from} onChange={(e) => setFrom(e.target.value)}>
              <option value="">a blank draft</option>
              {releases.data?.releases.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name ?? r.variant.slice(0, 12)} ({r.status})
                </option>
              ))}
            </select>
            <button type="button" className="secondary" onClick={() => load.mutate(from)} disabled={load.isPending}>
              Load
            </button>
            {loaded && <span className="muted">Loaded from {loaded}.</span>}
          </div>
          <label htmlFor={`${id}-config`}>Draft config (JSON: prompts.system, prompts.user, model, tools, data)</label>
          <textarea id={`${id}-config`} className="code" rows={16} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
        </section>
        <section aria-labelledby={`${id}-inputs`}>
          <h2 id={`${id}-inputs`}>Inputs</h2>
          <fieldset className="inline-form">
            <legend>Run on</legend>
            <label>
              <input type="radio" name={`${id}-source`} checked={source === 'examples'} onChange={() => setSource('examples')} /> Dataset examples
            </label>
            <label>
              <input type="radio" name={`${id}-source`} checked={source === 'trace'} onChange={() => setSource('trace')} /> A saved trace's input
            </label>
          </fieldset>
          {source === 'trace' ? (
            <div className="inline-form">
              <label htmlFor={`${id}-trace`}>Trace id</label>
              <input id={`${id}-trace`} className="wide" value={traceId} onChange={(e) => setTraceId(e.target.value)} />
            </div>
          ) : (
            <ExamplePicker
              datasets={datasets.data?.datasets.map((d) => d.name) ?? []}
              dataset={datasetName}
              onDataset={(d) => {
                setDataset(d);
                setChosen([]);
              }}
              examples={examples.data?.examples ?? []}
              chosen={chosen}
              onToggle={toggle}
            />
          )}
          <label className="check">
            <input type="checkbox" checked={compare && liveConfig.data != null} disabled={!liveConfig.data} onChange={(e) => setCompare(e.target.checked)} /> Compare with the live config
            {liveName === null ? ' (no release is live)' : liveConfig.data === null ? ` (live release ${liveName} has no config)` : ` (release ${liveName})`}
          </label>
          <p>
            <button type="submit" disabled={run.isPending}>
              {run.isPending ? 'Running…' : 'Run'}
            </button>
          </p>
        </section>
      </form>
      {(problem ?? load.error?.message ?? run.error?.message) && (
        <p className="error" role="alert">
          {problem ?? load.error?.message ?? run.error?.message}
        </p>
      )}
      {run.data && <PlaygroundResults draft={run.data.draft} live={run.data.live} liveName={liveName} />}
      <SaveDraft project={project} draft={parsed} />
    </article>
  );
}

function ExamplePicker(props: { datasets: string[]; dataset: string; onDataset: (d: string) => void; examples: { id: string; input?: unknown }[]; chosen: string[]; onToggle: (id: string) => void }) {
  const id = useId();
  if (props.datasets.length === 0) return <Empty>The project has no dataset yet: import one, or run on a trace's input.</Empty>;
  return (
    <div>
      <div className="inline-form">
        <label htmlFor={`${id}-dataset`}>Dataset</label>
        <select id={`${id}-dataset`} value={props.dataset} onChange={(e) => props.onDataset(e.target.value)}>
          {props.datasets.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
        <span role="status" className="muted">
          {props.chosen.length} of at most {MAX_EXAMPLES} chosen
        </span>
      </div>
      <ul className="example-picks" aria-label="Examples">
        {props.examples.map((e) => (
          <li key={e.id}>
            <label>
              <input type="checkbox" checked={props.chosen.includes(e.id)} onChange={() => props.onToggle(e.id)} disabled={!props.chosen.includes(e.id) && props.chosen.length >= MAX_EXAMPLES} /> <code>{e.id}</code>{' '}
              <span className="muted">{(typeof e.input === 'string' ? e.input : JSON.stringify(e.input)).slice(0, 120)}</span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Saves the draft as a candidate release, then shows the commands that evaluate and gate it. */
function SaveDraft({ project, draft }: { project: string; draft: () => DraftConfig | null }) {
  const id = useId();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({ mutationFn: ({ release, config }: { release: string; config: DraftConfig }) => saveReleaseConfig(project, release, config) });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (name.trim() === '') return setProblem('Release name: name the candidate, e.g. 2.2.0.');
    const config = draft();
    if (config === null) return;
    setProblem(null);
    save.mutate({ release: name.trim(), config });
  };
  const saved = save.data ? save.variables?.release : undefined;
  return (
    <section aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>Save as a candidate release</h2>
      <form onSubmit={submit} className="inline-form" aria-label="Save the draft">
        <label htmlFor={`${id}-name`}>Release name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="2.2.0" />
        <button type="submit" disabled={save.isPending}>
          Save as candidate
        </button>
      </form>
      {(problem ?? save.error?.message) && (
        <p className="error" role="alert">
          {problem ?? save.error?.message}
        </p>
      )}
      {saved && save.data && (
        <>
          <p className="success" role="status">
            Saved the draft as release {saved} (config <code>{save.data.configHash.slice(0, 12)}</code>). Evaluate it and let the gate decide:
          </p>
          <CopyablePre label="Then run and gate it" lines={[`# evalops.yaml: target: { type: model, release: ${saved} }`, 'evalops run -c evalops.yaml', 'evalops gate -c evalops.yaml']} />
        </>
      )}
    </section>
  );
}
