import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { text, when } from '../components/format';
import { Empty, QueryView } from '../components/states';

type Example = { id: string; input?: unknown; expected?: unknown; metadata: Record<string, unknown>; slices: string[]; source: string };
type Field = 'input' | 'expected' | 'metadata' | 'slices' | 'source';

/** `/p/:project/datasets/:dataset/diff?from=…&to=…`: the examples added, removed and changed between two versions. */
export function DatasetDiffPage() {
  const project = useParams().project ?? '';
  const dataset = useParams().dataset ?? '';
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const versions = useQuery({ queryKey: ['dataset', project, dataset, '', 0, 'versions'], queryFn: async () => unwrap(await api.GET('/projects/{project}/datasets/{dataset}', { params: { path: { project, dataset }, query: { limit: 1 } } })) });
  const diff = useQuery({
    queryKey: ['dataset-diff', project, dataset, from, to],
    enabled: from !== '' && to !== '',
    queryFn: async () => unwrap(await api.GET('/projects/{project}/datasets/{dataset}/diff', { params: { path: { project, dataset }, query: { from, to } } })),
  });
  const base = `/p/${encodeURIComponent(project)}/datasets/${encodeURIComponent(dataset)}`;
  return (
    <section aria-labelledby="diff-title">
      <p className="crumbs">
        <Link to={`/p/${encodeURIComponent(project)}/datasets`}>Datasets</Link> / <Link to={base}>{dataset}</Link> /
      </p>
      <h1 id="diff-title">Version diff · {dataset}</h1>
      <QueryView query={versions} what="versions">
        {(v) => (
          <form className="filters" aria-label="Versions to diff" onSubmit={(e) => e.preventDefault()}>
            {(
              [
                ['from', 'From version', from],
                ['to', 'To version', to],
              ] as const
            ).map(([key, label, value]) => (
              <span key={key}>
                <label htmlFor={`diff-${key}`}>{label}</label>{' '}
                <select id={`diff-${key}`} value={v.versions.find((x) => x.version.startsWith(value))?.version ?? ''} onChange={(e) => setParams({ from, to, [key]: e.target.value })}>
                  <option value="">choose a version</option>
                  {v.versions.map((x) => (
                    <option key={x.version} value={x.version}>
                      {x.version.slice(0, 12)} · {x.examples} examples · {when(x.createdAt)}
                    </option>
                  ))}
                </select>
              </span>
            ))}
          </form>
        )}
      </QueryView>
      {from && to ? (
        <QueryView query={diff} what="the diff">
          {(d) => (
            <>
              <p className="meta" aria-live="polite">
                {d.added.length} added · {d.removed.length} removed · {d.changed.length} changed · {d.unchangedCount} unchanged
              </p>
              <ExampleList title="Added" examples={d.added} kind="added" />
              <ExampleList title="Removed" examples={d.removed} kind="removed" />
              <h2>Changed</h2>
              {d.changed.length === 0 ? (
                <Empty>No example changed.</Empty>
              ) : (
                <DataTable
                  label="Changed examples"
                  rows={d.changed}
                  rowKey={(c) => c.id}
                  columns={[
                    { header: 'Id', cell: (c) => <code>{c.id}</code>, width: 'minmax(9rem, 1fr)' },
                    { header: 'Fields', cell: (c) => c.fields.join(', '), width: '9rem' },
                    { header: 'Before', cell: (c) => <FieldValues example={c.before} fields={c.fields} className="removed" />, width: 'minmax(14rem, 3fr)' },
                    { header: 'After', cell: (c) => <FieldValues example={c.after} fields={c.fields} className="added" />, width: 'minmax(14rem, 3fr)' },
                  ]}
                />
              )}
            </>
          )}
        </QueryView>
      ) : (
        <Empty>Choose the two versions to compare.</Empty>
      )}
    </section>
  );
}

function ExampleList({ title, examples, kind }: { title: string; examples: Example[]; kind: 'added' | 'removed' }) {
  return (
    <>
      <h2>{title}</h2>
      {examples.length === 0 ? (
        <Empty>No example {kind}.</Empty>
      ) : (
        <DataTable
          label={`${title} examples`}
          rows={examples}
          height={280}
          rowKey={(e) => e.id}
          columns={[
            { header: 'Id', cell: (e) => <code className={kind}>{e.id}</code>, width: 'minmax(9rem, 1fr)' },
            { header: 'Input', cell: (e) => <span className="clip">{text(e.input)}</span>, width: 'minmax(16rem, 3fr)' },
            { header: 'Expected', cell: (e) => <span className="clip">{e.expected === undefined ? '—' : text(e.expected)}</span>, width: 'minmax(10rem, 2fr)' },
            { header: 'Slices', cell: (e) => e.slices.join(', ') || '—', width: 'minmax(10rem, 1.5fr)' },
          ]}
        />
      )}
    </>
  );
}

function FieldValues({ example, fields, className }: { example: Example; fields: Field[]; className: string }) {
  return (
    <span className={`clip ${className}`}>
      {fields.map((f) => (
        <span key={f}>
          <strong>{f}:</strong> {f === 'slices' ? example.slices.join(', ') : text(example[f])}{' '}
        </span>
      ))}
    </span>
  );
}
