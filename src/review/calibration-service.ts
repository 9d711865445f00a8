import { computeCalibration, type JudgeAnswer } from '../core/review/compute-calibration.js';
import type { CalibrationReport } from '../core/review/calibration-report.js';
import { EvalOpsError } from '../core/errors.js';
import type { CalibrationThresholds } from '../core/review/judge-status.js';
import type { CalibrationRecord } from '../store/calibration-repository.js';
import type { Store } from '../store/store.js';
import { projectIdOf } from './review-scope.js';

export interface CalibrationSubmission {
  readonly metric: string;
  /** The judge's version (model + prompt + rubric hash), as its scorer reports it. */
  readonly judgeVersion: string;
  /** The gold set version judged; default the latest. */
  readonly goldSetVersion?: number;
  /** The judge's answer on every gold item, by item key. */
  readonly answers: readonly JudgeAnswer[];
  readonly thresholds: CalibrationThresholds;
}

/**
 * Records a calibration: the judge's answers on a gold set are compared with the human labels here,
 * on the store's side (the caller sends answers, never figures), and stored with an audit entry in
 * one transaction. Every gold item must be answered exactly once.
 */
export async function recordCalibration(store: Store, projectName: string, submission: CalibrationSubmission, actor: string): Promise<{ calibration: CalibrationRecord; report: CalibrationReport }> {
  const projectId = await projectIdOf(store, projectName);
  const goldSet = await store.goldSets.get(projectId, submission.metric, submission.goldSetVersion);
  const items = await store.goldSets.items(goldSet.id);
  const keys = new Set(items.map((i) => i.key));
  const seen = new Set<string>();
  for (const a of submission.answers) {
    if (!keys.has(a.key)) throw new EvalOpsError('input', `answer for "${a.key}", which is not in gold set ${submission.metric} v${goldSet.version}`, { location: 'answers' });
    if (seen.has(a.key)) throw new EvalOpsError('input', `two answers for gold item "${a.key}"`, { location: 'answers' });
    seen.add(a.key);
  }
  const missing = items.filter((i) => !seen.has(i.key)).length;
  if (missing > 0) throw new EvalOpsError('input', `${missing} of ${items.length} gold items have no judge answer; answer every item (an errored call is an answer with status "errored")`, { location: 'answers' });
  const report = computeCalibration({
    metric: submission.metric,
    judgeVersion: submission.judgeVersion,
    goldSet: { id: goldSet.id, version: goldSet.version },
    rubric: goldSet.rubric,
    gold: items.map((i) => ({ key: i.key, label: i.label, slices: i.payload.slices, input: i.payload.input, output: i.payload.output })),
    answers: submission.answers,
    thresholds: submission.thresholds,
  });
  const calibration = await store.db.transaction().execute(async (trx) => {
    const record = await store.calibrations.record(projectId, goldSet.id, report, actor, trx);
    await store.audit.append(
      projectId,
      { actor, action: 'judge.calibrate', entityType: 'metric', entityId: submission.metric, payload: { calibrationId: record.id, judgeVersion: report.judgeVersion, goldSet: `${goldSet.id} (v${goldSet.version})`, kappa: report.kappa.value, n: report.n, status: report.status } },
      trx,
    );
    return record;
  });
  return { calibration, report };
}
