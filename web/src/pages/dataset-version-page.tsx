import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { text, when } from '../components/format';
import { Pager } from '../components/pager';
import { QueryView, Empty } from '../components/states';
import { SliceStaleness } from '../components/slice-staleness';

const PAGE = 100;

/**
 * `/p/:project/datasets/:dataset?version=…&offset=…`: one version of a dataset (the newest unless
 * picked) with its slices and its examples a page at a time; another version can be diffed against it.
 */
export function DatasetVersionPage() {
  const project = useParams().project ?? '';
  const dataset = useParams().dataset ?? '';
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const version = params.get('version') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const query = useQuery({
    queryKey: ['dataset', project, dataset, version, offset],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(await api.GET('/projects/{project}/datasets/{dataset}', { params: { path: { project, dataset }, query: { limit: PAGE, offset, ...(version ? { version } : {}) } } })),
  });
  const base = `/p/${encodeURIComponent(project)}/datasets/${encodeURIComponent(dataset)}`;
  return (
    <section aria-labelledby="dataset-title">
      <p className="crumbs">
        <Link to={`/p/${encodeURIComponent(project)}/datasets`}>Datasets</Link> /
      </p>
      <h1 id="dataset-title">Dataset {dataset}</h1>
      <QueryView query={query} what="the dataset version">
        {(d) => (
          <>
            <form className="filters" aria-label="Choose a version" onSubmit={(e) => e.preventDefault()}>
              <span>
                <label htmlFor="dataset-version">Version</label>{' '}
                <select id="dataset-version" value={d.version} onChange={(e) => setParams({ version: e.target.value })}>
                  {d.versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      {v.version.slice(0, 12)} · {v.examples} examples · {when(v.createdAt)}
                    </option>
                  ))}
                </select>
              </span>
              {d.versions.length > 1 && (
                <span>
                  <label htmlFor="dataset-diff-with">Diff with</label>{' '}
                  <select id="dataset-diff-with" value="" onChange={(e) => e.target.value && navigate(diffPath(base, d.versions, d.version, e.target.value))}>
                    <option value="">choose an earlier or later version</option>
                    {d.versions
                      .filter((v) => v.version !== d.version)
                      .map((v) => (
                        <option key={v.version} value={v.version}>
                          {v.version.slice(0, 12)} · {when(v.createdAt)}
                        </option>
                      ))}
                  </select>
                </span>
              )}
            </form>
            <p className="meta">
              Version <code>{d.version}</code> · {d.exampleCount} examples · created {when(d.createdAt)}
              {d.sourcePath ? ` · from ${d.sourcePath}` : ''}
            </p>
            <h2>Slices</h2>
            {Object.keys(d.slices).length === 0 ? (
              <Empty>No example has a slice.</Empty>
            ) : (
              <ul className="chips" aria-label="Slices with their number of examples">
                {Object.entries(d.slices)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([s, n]) => (
                    <li key={s}>
                      {s} <span className="muted">{n}</span>
                    </li>
                  ))}
              </ul>
            )}
            <SliceStaleness project={project} dataset={dataset} version={d.version} />
            <h2>Examples</h2>
            {d.examples.length === 0 ? (
              <Empty>This version has no examples on this page.</Empty>
            ) : (
              <>
                <DataTable
                  label="Examples"
                  rows={d.examples}
                  rowKey={(e) => e.id}
                  rowHref={(e) => `${base}/examples/${encodeURIComponent(e.id)}?version=${d.version}`}
                  columns={[
                    { header: 'Id', cell: (e) => <code>{e.id}</code>, width: 'minmax(9rem, 1fr)' },
                    { header: 'Input', cell: (e) => <span className="clip">{text(e.input)}</span>, width: 'minmax(16rem, 3fr)' },
                    { header: 'Expected', cell: (e) => <span className="clip">{e.expected === undefined ? '—' : text(e.expected)}</span>, width: 'minmax(10rem, 2fr)' },
                    { header: 'Slices', cell: (e) => e.slices.join(', ') || '—', width: 'minmax(10rem, 1.5fr)' },
                    { header: 'Source', cell: (e) => e.source, width: '7rem' },
                  ]}
                />
                <Pager offset={d.offset} count={d.examples.length} total={d.exampleCount} pageSize={PAGE} onOffset={(o) => setParams({ version: d.version, offset: String(o) })} what="examples" />
              </>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

/** The diff page from the older of two versions to the newer (versions are listed newest first). */
function diffPath(base: string, versions: readonly { version: string }[], a: string, b: string): string {
  const [from, to] = versions.findIndex((v) => v.version === a) > versions.findIndex((v) => v.version === b) ? [a, b] : [b, a];
  return `${base}/diff?from=${from}&to=${to}`;
}
