import { judgeStatus, type JudgeStatus } from '../core/review/judge-status.js';
import type { RunMetric } from '../core/run.js';
import type { CalibrationRecord } from '../store/calibration-repository.js';
import type { Store } from '../store/store.js';
import { isJudgeScorerType } from '../core/judge-scorer-types.js';

/** A judge metric's calibration status for the judge version a run used. */
export interface JudgeStatusView {
  readonly metric: string;
  readonly judgeVersion: string;
  readonly status: JudgeStatus;
  readonly latest: {
    readonly id: string;
    readonly judgeVersion: string;
    readonly kappa: number | null;
    readonly n: number;
    readonly goldSetId: string;
    readonly status: 'calibrated' | 'uncalibrated';
    readonly createdAt: string;
  } | null;
}

/**
 * The status of each judge metric of a run: `calibrated` only when the latest calibration was of
 * the very judge version the run scored with and met the thresholds; `stale` when the judge changed.
 */
export async function judgeStatuses(store: Store, projectId: string, metrics: readonly RunMetric[]): Promise<Map<string, JudgeStatusView>> {
  const judges = metrics.filter((m) => isJudgeScorerType(m.scorerType));
  const latest = await store.calibrations.latest(projectId, judges.map((m) => m.name));
  return new Map(judges.map((m) => [m.name, view(m, latest.get(m.name))]));
}

function view(metric: RunMetric, latest: CalibrationRecord | undefined): JudgeStatusView {
  return {
    metric: metric.name,
    judgeVersion: metric.scorerVersion,
    status: judgeStatus(latest, metric.scorerVersion),
    latest: latest
      ? { id: latest.id, judgeVersion: latest.judgeVersion, kappa: latest.kappa, n: latest.n, goldSetId: latest.goldSetId, status: latest.status, createdAt: latest.createdAt }
      : null,
  };
}
