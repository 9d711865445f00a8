import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/data-table';
import { Pager } from '../components/pager';
import { Empty, QueryView } from '../components/states';

const PAGE = 100;

/** The examples that flipped between the runs, pass → fail first, narrowed to a heat-map cell when one is selected. */
export function CompareFlips({
  baseline,
  candidate,
  metric,
  slice,
  selected,
  exampleHref,
  onClear,
}: {
  baseline: string;
  candidate: string;
  metric: string | null;
  slice: string | null;
  selected: string | null;
  /** Where a flipped example's row links: this comparison with that example open. */
  exampleHref: (exampleId: string) => string;
  onClear: () => void;
}) {
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [baseline, candidate, metric, slice]);
  const flips = useQuery({
    queryKey: ['flips', baseline, candidate, metric, slice, offset],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET('/runs/{baselineRunId}/compare/{candidateRunId}/flips', {
          params: { path: { baselineRunId: baseline, candidateRunId: candidate }, query: { limit: PAGE, offset, ...(metric ? { metric } : {}), ...(slice ? { slice } : {}) } },
        }),
      ),
  });
  return (
    <>
      <h2 id="flips-title">Flipped examples</h2>
      <div className="filters">
        <span>
          {metric ? (
            <>
              Showing <strong>{metric}</strong> in <strong>{slice ?? 'all examples'}</strong>
            </>
          ) : (
            'Every metric, every slice'
          )}
        </span>
        {metric && (
          <button type="button" className="secondary" onClick={onClear}>
            Show every flip
          </button>
        )}
      </div>
      <QueryView query={flips} what="flipped examples">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No example changed between pass and fail{metric ? ` on ${metric}${slice ? ` in ${slice}` : ''}` : ''}.</Empty>
          ) : (
            <>
              <p className="meta">
                {data.passToFail} example{data.passToFail === 1 ? '' : 's'} went from pass to fail, {data.failToPass} only from fail to pass. Select one to see both outputs.
              </p>
              <DataTable
                label="Flipped examples"
                rows={data.items}
                height={320}
                rowKey={(r) => r.exampleId}
                rowHref={(r) => exampleHref(r.exampleId)}
                columns={[
                  { header: 'Example', cell: (r) => <code aria-current={r.exampleId === selected ? 'true' : undefined}>{r.exampleId}</code>, width: 'minmax(9rem, 1fr)' },
                  {
                    header: 'Change',
                    cell: (r) => (
                      <span className="scores">
                        {r.passToFail.map((m) => (
                          <span key={m} className="score fail">
                            {m}: pass → fail
                          </span>
                        ))}
                        {r.failToPass.map((m) => (
                          <span key={m} className="score pass">
                            {m}: fail → pass
                          </span>
                        ))}
                      </span>
                    ),
                    width: 'minmax(16rem, 3fr)',
                  },
                  { header: 'Slices', cell: (r) => r.slices.join(', ') || '—', width: 'minmax(10rem, 1.5fr)' },
                ]}
              />
              <Pager offset={data.offset} count={data.items.length} total={data.passToFail + data.failToPass} pageSize={PAGE} onOffset={setOffset} what="flipped examples" />
            </>
          )
        }
      </QueryView>
    </>
  );
}
