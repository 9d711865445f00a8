/**
 * The evidence of a monitor's alert, read from the open record the API sends (its shape depends on
 * the alert kind: a budget alert carries other fields). Each field is checked for its type; a field
 * that is missing or of another type reads as absent, so the page shows what it can and never a
 * wrong number.
 */

export interface RollbackAction {
  readonly releaseId: string;
  readonly variant: string;
  readonly action: string;
  readonly from: string;
  readonly to: string | null;
  /** Why nothing changed, when nothing did. */
  readonly skipped: string | null;
  /** The release.transition audit entry of the move, when it moved. */
  readonly auditSeq?: number;
}

export interface MonitorEvidence {
  readonly monitor: string | null;
  readonly rule: string;
  readonly metric: string;
  readonly detector: string | null;
  readonly summary: string | null;
  /** The level compared with: the learned reference, the threshold, or live's pass rate. */
  readonly baseline: number | null;
  readonly current: { readonly passed: number; readonly total: number; readonly rate: number | null } | null;
  /** current − baseline in rate units (−0.05 is a 5-point drop). */
  readonly delta: number | null;
  readonly pValue: number | null;
  readonly since: string | null;
  readonly detectedAt: string | null;
  readonly cohort: { readonly release: string | null; readonly live: string | null };
  readonly owner: string | null;
  readonly exampleTraceIds: readonly string[];
  readonly commands: readonly string[];
  readonly rollbackActions: readonly RollbackAction[];
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function rollbackAction(v: unknown): RollbackAction[] {
  if (!isRecord(v)) return [];
  const releaseId = str(v['releaseId']);
  const from = str(v['from']);
  if (releaseId === null || from === null) return [];
  const auditSeq = num(v['auditSeq']);
  return [{ releaseId, variant: str(v['variant']) ?? releaseId, action: str(v['action']) ?? 'rollback', from, to: str(v['to']), skipped: str(v['skipped']), ...(auditSeq === null ? {} : { auditSeq }) }];
}

/**
 * The evidence of a monitor alert, or null when the record is not one (it names no rule and metric).
 * @example readMonitorEvidence({ rule: 'prod', metric: 'cites_policy', delta: -0.3 })?.delta // -0.3
 */
export function readMonitorEvidence(evidence: Json): MonitorEvidence | null {
  const rule = str(evidence['rule']);
  const metric = str(evidence['metric']);
  if (rule === null || metric === null) return null;
  const current = isRecord(evidence['current']) ? evidence['current'] : null;
  const passed = num(current?.['passed']);
  const total = num(current?.['total']);
  const cohort = isRecord(evidence['cohort']) ? evidence['cohort'] : {};
  return {
    monitor: str(evidence['monitor']),
    rule,
    metric,
    detector: str(evidence['detector']),
    summary: str(evidence['summary']),
    baseline: num(evidence['baseline']),
    current: passed !== null && total !== null ? { passed, total, rate: num(current?.['rate']) ?? (total > 0 ? passed / total : null) } : null,
    delta: num(evidence['delta']),
    pValue: num(evidence['pValue']),
    since: str(evidence['since']),
    detectedAt: str(evidence['detectedAt']),
    cohort: { release: str(cohort['release']), live: str(cohort['live']) },
    owner: str(evidence['owner']),
    exampleTraceIds: strings(evidence['exampleTraceIds']),
    commands: strings(evidence['commands']),
    rollbackActions: Array.isArray(evidence['rollbackActions']) ? evidence['rollbackActions'].flatMap(rollbackAction) : [],
  };
}

/**
 * A change in pass rate in percentage points, with a true minus sign and one decimal.
 * @example points(-0.3) // '−30.0 points'
 */
export const points = (delta: number | null): string => (delta === null ? '—' : `${delta < 0 ? '−' : delta > 0 ? '+' : ''}${Math.abs(delta * 100).toFixed(1)} points`);
