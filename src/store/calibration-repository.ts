import type { Kysely, Transaction } from 'kysely';
import { CalibrationReportSchema, type CalibrationReport } from '../core/review/calibration-report.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, toJson } from './json-column.js';

export interface CalibrationRecord {
  readonly id: string;
  readonly projectId: string;
  readonly metric: string;
  readonly judgeVersion: string;
  readonly goldSetId: string;
  readonly status: 'calibrated' | 'uncalibrated';
  readonly kappa: number | null;
  readonly n: number;
  readonly report: CalibrationReport;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** Calibrations of judge versions against gold sets; kept for ever, the latest per metric counts. */
export class CalibrationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async record(projectId: string, goldSetId: string, report: CalibrationReport, createdBy: string, db: Kysely<Database> | Transaction<Database> = this.db): Promise<CalibrationRecord> {
    const status = report.status === 'calibrated' ? 'calibrated' : 'uncalibrated';
    const record: CalibrationRecord = {
      id: newId('cal'),
      projectId,
      metric: report.metric,
      judgeVersion: report.judgeVersion,
      goldSetId,
      status,
      kappa: report.kappa.value,
      n: report.n,
      report,
      createdBy,
      createdAt: new Date(this.now()).toISOString(),
    };
    await db
      .insertInto('calibrations')
      .values({
        id: record.id,
        project_id: projectId,
        metric: record.metric,
        judge_version: record.judgeVersion,
        gold_set_id: goldSetId,
        status,
        kappa: record.kappa,
        n: record.n,
        report: toJson(report),
        created_by: createdBy,
        created_at: record.createdAt,
      })
      .execute();
    return record;
  }

  /** The latest calibration of each metric of the project (or of the metrics named). */
  async latest(projectId: string, metrics?: readonly string[]): Promise<Map<string, CalibrationRecord>> {
    if (metrics !== undefined && metrics.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('calibrations')
      .selectAll()
      .where('project_id', '=', projectId)
      .$if(metrics !== undefined, (q) => q.where('metric', 'in', metrics ?? []))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const out = new Map<string, CalibrationRecord>();
    for (const r of rows) if (!out.has(r.metric)) out.set(r.metric, toRecord(r));
    return out;
  }

  /** A metric's calibrations, newest first. */
  async history(projectId: string, metric: string, limit = 50): Promise<CalibrationRecord[]> {
    const rows = await this.db.selectFrom('calibrations').selectAll().where('project_id', '=', projectId).where('metric', '=', metric).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toRecord);
  }
}

function toRecord(r: Database['calibrations']): CalibrationRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    metric: r.metric,
    judgeVersion: r.judge_version,
    goldSetId: r.gold_set_id,
    status: r.status === 'calibrated' ? 'calibrated' : 'uncalibrated',
    kappa: r.kappa === null ? null : Number(r.kappa),
    n: Number(r.n),
    report: fromJson(r.report, CalibrationReportSchema, 'calibration report'),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}
