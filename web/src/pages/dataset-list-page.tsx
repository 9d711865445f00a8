import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { when } from '../components/format';
import { Empty, QueryView } from '../components/states';

/** `/p/:project/datasets`: the project's datasets, each with its versions and latest version. */
export function DatasetListPage() {
  const project = useParams().project ?? '';
  const query = useQuery({ queryKey: ['datasets', project], queryFn: async () => unwrap(await api.GET('/projects/{project}/datasets', { params: { path: { project } } })) });
  return (
    <section aria-labelledby="datasets-title">
      <h1 id="datasets-title">Datasets</h1>
      <QueryView query={query} what="datasets">
        {(data) =>
          data.datasets.length === 0 ? (
            <Empty>No datasets yet. `evalops run` or `evalops datasets import` stores one.</Empty>
          ) : (
            <table className="metrics">
              <thead>
                <tr>
                  <th scope="col">Dataset</th>
                  <th scope="col" className="num">Versions</th>
                  <th scope="col">Latest version</th>
                  <th scope="col" className="num">Examples</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {data.datasets.map((d) => (
                  <tr key={d.name}>
                    <th scope="row">
                      <Link to={`/p/${encodeURIComponent(project)}/datasets/${encodeURIComponent(d.name)}`}>{d.name}</Link>
                    </th>
                    <td className="num">{d.versions}</td>
                    <td>{d.latest ? <code>{d.latest.version.slice(0, 12)}</code> : '—'}</td>
                    <td className="num">{d.latest?.examples ?? '—'}</td>
                    <td>{when(d.latest?.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </section>
  );
}
