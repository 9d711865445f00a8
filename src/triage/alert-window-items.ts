import { EvalOpsError } from '../core/errors.js';
import { MonitorAlertEvidenceSchema, type MonitorAlertEvidence } from '../core/monitor/alert-evidence.js';
import type { AlertRecord } from '../store/alert-repository.js';
import type { Store } from '../store/store.js';
import { traceItems, type TraceFailure } from './trace-items.js';
import type { TriageSource } from './triage-source.js';

/**
 * The evidence window of a monitor alert: the traces its online rule scored as failing on the
 * alert's metric since the change began, in the alert's cohort (the canary and live for a canary
 * alert, so the release concentration shows which side fails). The population is every trace scored
 * on the metric in that window and cohort.
 */

const POPULATION_LIMIT = 200_000;

export async function alertWindowItems(store: Store, alert: AlertRecord, limit: number): Promise<TriageSource & { readonly evidence: MonitorAlertEvidence }> {
  const parsed = MonitorAlertEvidenceSchema.safeParse(alert.evidence);
  if (alert.kind !== 'monitor' || alert.ruleId === null || !parsed.success) {
    throw new EvalOpsError('usage', `alert ${alert.id} is a ${alert.kind} alert without a monitor's evidence window: triage needs a monitor alert`);
  }
  const evidence = parsed.data;
  const cohorts = [evidence.cohort.release, evidence.cohort.live].filter((r): r is string => typeof r === 'string');
  const release = cohorts.length === 0 ? undefined : (await Promise.all(cohorts.map((r) => store.releases.aliases(alert.projectId, r)))).flat();
  const fromMs = Date.parse(evidence.since);
  const window = { ...(release === undefined ? {} : { release }), fromMs };
  const [failing, all] = await Promise.all([
    store.onlineScores.listScores(alert.ruleId, evidence.metric, { ...window, failing: true, limit }),
    store.onlineScores.listScores(alert.ruleId, evidence.metric, { ...window, limit: POPULATION_LIMIT }),
  ]);
  // Oldest first, so the items (and so the clusters) do not depend on when the triage runs.
  const ordered = [...failing].sort((a, b) => a.traceStartMs - b.traceStartMs || (a.traceId < b.traceId ? -1 : 1));
  const failures = new Map<string, TraceFailure>(ordered.map((s) => [s.traceId, { metrics: [evidence.metric], reasons: [`${evidence.metric}: ${s.reason ?? s.label ?? 'failed'}`] }]));
  const items = await traceItems(store, alert.projectId, [...failures.keys()], failures);
  const releases: Record<string, number> = {};
  for (const s of all) if (s.release !== null) releases[s.release] = (releases[s.release] ?? 0) + 1;
  return {
    items,
    total: failing.length,
    population: { total: all.length, slices: {}, releases },
    owners: evidence.owner ? { [evidence.metric]: evidence.owner } : {},
    evidence,
  };
}
