import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { text, when } from '../components/format';
import { LoadMore } from '../components/load-more';
import { Empty, QueryView } from '../components/states';

type Example = { id: string; input?: unknown; expected?: unknown; metadata: Record<string, unknown>; slices: string[]; source: string; conversation?: unknown };
type Field = 'input' | 'expected' | 'metadata' | 'slices' | 'source' | 'conversation';
type Kind = 'added' | 'removed' | 'changed';

const PAGE = 100;

/** One list of the diff, 100 examples at a time (the server pages it). */
function useDiffList(project: string, dataset: string, from: string, to: string, kind: Kind) {
  return useInfiniteQuery({
    queryKey: ['dataset-diff', project, dataset, from, to, kind],
    enabled: from !== '' && to !== '',
    initialPageParam: 0,
    getNextPageParam: (last: { nextOffset: Record<Kind, number | null> }) => last.nextOffset[kind] ?? undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/projects/{project}/datasets/{dataset}/diff', { params: { path: { project, dataset }, query: { from, to, kind, offset: pageParam, limit: PAGE } } })),
  });
}

/** `/p/:project/datasets/:dataset/diff?from=…&to=…`: the examples added, removed and changed between two versions. */
export function DatasetDiffPage() {
  const project = useParams().project ?? '';
  const dataset = useParams().dataset ?? '';
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const versions = useQuery({ queryKey: ['dataset', project, dataset, '', 0, 'versions'], queryFn: async () => unwrap(await api.GET('/projects/{project}/datasets/{dataset}', { params: { path: { project, dataset }, query: { limit: 1 } } })) });
  const added = useDiffList(project, dataset, from, to, 'added');
  const removed = useDiffList(project, dataset, from, to, 'removed');
  const changed = useDiffList(project, dataset, from, to, 'changed');
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
        <QueryView query={changed} what="the diff">
          {(d) => {
            const counts = d.pages[0]?.counts ?? { added: 0, removed: 0, changed: 0, unchanged: 0 };
            const changedRows = d.pages.flatMap((p) => p.changed);
            return (
              <>
                <p className="meta" aria-live="polite">
                  {counts.added} added · {counts.removed} removed · {counts.changed} changed · {counts.unchanged} unchanged
                </p>
                <ExampleList title="Added" query={added} kind="added" />
                <ExampleList title="Removed" query={removed} kind="removed" />
                <h2>Changed</h2>
                {changedRows.length === 0 ? (
                  <Empty>No example changed.</Empty>
                ) : (
                  <>
                    <DataTable
                      label="Changed examples"
                      rows={changedRows}
                      rowKey={(c) => c.id}
                      columns={[
                        { header: 'Id', cell: (c) => <code>{c.id}</code>, width: 'minmax(9rem, 1fr)' },
                        { header: 'Fields', cell: (c) => c.fields.join(', '), width: '9rem' },
                        { header: 'Before', cell: (c) => <FieldValues example={c.before} fields={c.fields} className="removed" />, width: 'minmax(14rem, 3fr)' },
                        { header: 'After', cell: (c) => <FieldValues example={c.after} fields={c.fields} className="added" />, width: 'minmax(14rem, 3fr)' },
                      ]}
                    />
                    <LoadMore shown={changedRows.length} noun="changed example" query={changed} />
                  </>
                )}
              </>
            );
          }}
        </QueryView>
      ) : (
        <Empty>Choose the two versions to compare.</Empty>
      )}
    </section>
  );
}

function ExampleList({ title, query, kind }: { title: string; query: ReturnType<typeof useDiffList>; kind: 'added' | 'removed' }) {
  const examples: Example[] = query.data?.pages.flatMap((p) => p[kind]) ?? [];
  return (
    <>
      <h2>{title}</h2>
      {query.isPending ? (
        <p className="state" role="status">Loading…</p>
      ) : query.error ? (
        <p className="state error" role="alert">Could not load the {kind} examples: {query.error.message}</p>
      ) : examples.length === 0 ? (
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
      {examples.length > 0 && <LoadMore shown={examples.length} noun={`${kind} example`} query={query} />}
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
