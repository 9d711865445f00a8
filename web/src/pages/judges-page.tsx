import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { CalibrationReportView } from '../components/calibration-report';
import { pct } from '../components/format';
import { JudgeStatusBadge, judgeStatusExplained } from '../components/judge-status-badge';
import { LineChart } from '../components/line-chart';
import { fetchCalibrations, fetchDrift, fetchJudges, type Judge } from '../components/review-api';
import { Empty, QueryView } from '../components/states';
import '../review.css';

/**
 * `/judges`: every judge metric of the latest run, whether it can be trusted (calibrated,
 * uncalibrated, stale), its latest calibration report and its disagreement with humans over time.
 */
export function JudgesPage() {
  const project = useParams().project ?? '';
  const query = useQuery({ queryKey: ['judges', project], queryFn: () => fetchJudges(project) });
  return (
    <section aria-labelledby="judges-title">
      <h1 id="judges-title">Judges</h1>
      <QueryView query={query} what="judges">
        {(data) =>
          data.judges.length === 0 ? (
            <Empty>{data.runId ? 'The latest completed run has no judge metric.' : 'No completed run yet: `evalops run` scores one, with its judge metrics.'}</Empty>
          ) : (
            data.judges.map((j) => <JudgeSection key={j.metric} project={project} judge={j} />)
          )
        }
      </QueryView>
    </section>
  );
}

function JudgeSection({ project, judge: j }: { project: string; judge: Judge }) {
  const calibrations = useQuery({ queryKey: ['calibrations', project, j.metric], queryFn: () => fetchCalibrations(project, j.metric) });
  const titleId = `judge-${j.metric}`;
  return (
    <section className="judge" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {j.metric} <JudgeStatusBadge status={j.status} />
      </h2>
      <p className="judge-why">{judgeStatusExplained(j.status)}</p>
      <p className="meta">
        Judge version of the latest run <code title={j.judgeVersion}>{j.judgeVersion.slice(0, 12)}</code>
        {j.latest && j.latest.judgeVersion !== j.judgeVersion ? (
          <>
            ; last calibrated version <code title={j.latest.judgeVersion}>{j.latest.judgeVersion.slice(0, 12)}</code>
          </>
        ) : null}
      </p>
      <h3>Latest calibration</h3>
      <QueryView query={calibrations} what="calibrations">
        {(data) => {
          const latest = data.calibrations[0];
          return latest ? (
            <CalibrationReportView report={latest.report} createdAt={latest.createdAt} />
          ) : (
            <Empty>
              Not calibrated yet. Have reviewers label a queue for {j.metric}, freeze the settled labels as a gold set (<code>evalops gold freeze {j.metric}</code>), then run{' '}
              <code>evalops calibrate {j.metric}</code>.
            </Empty>
          );
        }}
      </QueryView>
      <JudgeDrift project={project} metric={j.metric} />
    </section>
  );
}

function JudgeDrift({ project, metric }: { project: string; metric: string }) {
  const query = useQuery({ queryKey: ['judge-drift', project, metric], queryFn: () => fetchDrift(project, metric) });
  return (
    <div className="drift">
      <h3>Drift: judge against humans on reviewed items</h3>
      <QueryView query={query} what="judge drift">
        {(d) => (
          <>
            {d.alert && (
              <p className="warning" role="alert">
                {d.alert.message}
              </p>
            )}
            {d.buckets.length === 0 ? (
              <Empty>No reviewed items with a judge verdict yet: the disagreement rate appears once reviewers label items of {metric}.</Empty>
            ) : (
              <LineChart xTitle="Bucket (UTC)"
                title={`${metric}: judge–human disagreement per day`}
                summary={`Latest ${pct(d.buckets.at(-1)?.rate)} over ${d.buckets.at(-1)?.n ?? 0} items; alert above ${pct(d.threshold)} on at least ${d.minItems} items.`}
                xLabels={d.buckets.map((b) => b.start.slice(5, 10))}
                xTitles={d.buckets.map((b) => `${b.start.slice(0, 10)} (n=${b.n})`)}
                series={[
                  { name: 'Disagreement rate', values: d.buckets.map((b) => b.rate) },
                  { name: 'Threshold', values: d.buckets.map(() => d.threshold) },
                ]}
                format={pct}
                domain={[0, 1]}
                yTitle="Disagreement"
              />
            )}
          </>
        )}
      </QueryView>
    </div>
  );
}
