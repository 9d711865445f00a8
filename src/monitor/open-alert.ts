import type { Transaction } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { rollbackTargetCheck } from '../core/monitor/monitor-cohort.js';
import type { ReleaseEvent } from '../core/release.js';
import type { AlertRecord, NewAlert } from '../store/alert-repository.js';
import { withWriteRetry } from '../store/audit-repository.js';
import type { Database } from '../store/database.js';
import type { Store } from '../store/store.js';
import { moveAlertIn } from './move-alert.js';
import { emitWebhookEvent } from './webhook-service.js';

/** What a rollback rule did (or why it could not) when its monitor fired. */
export interface RollbackAction {
  readonly releaseId: string;
  readonly variant: string;
  readonly action: 'rollback' | 'narrow';
  readonly from: string;
  readonly to: string | null;
  /** Why nothing changed (e.g. the release was already rolled back, or is outside the monitor's cohort), when nothing did. */
  readonly skipped: string | null;
  /** The `release.transition` audit entry of the move, when it moved. */
  readonly auditSeq?: number;
}

/**
 * Opens an alert and does everything that follows from it in one transaction: the audit entry, the
 * bound rollback rules (the release moves to rolled_back or its canary narrows, audited as a release
 * transition by `monitor:<name>`), and the webhook deliveries (`alert.opened`, `release.rollback`,
 * `release.narrowed`) written to the outbox. A second opener of the same dedupe key finds the open
 * alert and does nothing.
 *
 * A rule moves only a release the monitor watches now (src/core/monitor/monitor-cohort.ts: the
 * monitor's spec may have changed since the rule was bound); any other is skipped, saying why. When a
 * rule acted, the alert resolves as `acted` in the same transaction (`alert.resolved` follows
 * `alert.opened`), and the monitor reads its cohort from now on only, so the stale traces of its
 * window cannot reopen it.
 */
export async function openAlert(
  store: Store,
  alert: NewAlert,
  options: {
    monitorName?: string;
    nowMs?: number;
    /**
     * The monitor's `evaluateFromMs` when the firing evaluation read it. If a rollback rule acted since
     * (another worker's evaluation of the same monitor), the evaluation read stale traces: nothing
     * opens, and the latest alert of the monitor is returned with `created: false`.
     */
    readEvaluateFromMs?: number | null;
  } = {},
): Promise<{ alert: AlertRecord; created: boolean; actions: RollbackAction[] }> {
  try {
    return await openAlertOnce(store, alert, options);
  } catch (e) {
    if (!(e instanceof ActedMeanwhile) || !alert.monitorId) throw e;
    const [latest] = await store.alerts.list(alert.projectId, { monitorId: alert.monitorId, limit: 1 });
    if (!latest) throw new EvalOpsError('internal', `monitor ${alert.monitorId} acted, but has no alert`);
    return { alert: latest, created: false, actions: [] };
  }
}

/** Thrown inside the transaction (so it rolls back) when a rollback rule of the monitor acted since its evaluation read it. */
class ActedMeanwhile extends Error {}

async function openAlertOnce(store: Store, alert: NewAlert, options: { monitorName?: string; nowMs?: number; readEvaluateFromMs?: number | null }): Promise<{ alert: AlertRecord; created: boolean; actions: RollbackAction[] }> {
  return withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const { alert: opened, created } = await store.alerts.open(alert, trx);
      if (!created) return { alert: opened, created, actions: [] };
      // After the insert: a concurrent opener that acted has committed by now (the insert waited on it).
      if (opened.monitorId && options.readEvaluateFromMs !== undefined && (await store.monitors.get(opened.monitorId, trx)).evaluateFromMs !== options.readEvaluateFromMs) throw new ActedMeanwhile();
      const actor = options.monitorName ? `monitor:${options.monitorName}` : 'evalops';
      await store.audit.append(opened.projectId, { actor, action: 'alert.transition', entityType: 'alert', entityId: opened.id, payload: { from: null, to: 'open', title: opened.title, kind: opened.kind, dedupeKey: opened.dedupeKey } }, trx);
      const actions = opened.monitorId ? await applyRollbackRules(store, trx, opened, actor) : [];
      if (actions.length > 0) await store.alerts.addEvidence(opened.id, { rollbackActions: actions }, trx);
      const withActions = await store.alerts.get(opened.id, trx);
      await emitWebhookEvent(store, withActions.projectId, { id: `${withActions.id}:opened`, type: 'alert.opened', payload: alertPayload(withActions) }, trx);
      const acted = actions.filter((a) => a.skipped === null);
      if (acted.length === 0 || !opened.monitorId) return { alert: withActions, created, actions };
      await store.monitors.evaluateFrom(opened.monitorId, options.nowMs ?? Date.now(), trx);
      const note = `acted: ${acted.map((a) => `${a.action === 'rollback' ? 'rolled back' : 'narrowed'} release ${a.releaseId} (${a.variant}), audit #${a.auditSeq}`).join('; ')}`;
      const final = await moveAlertIn(store, trx, opened.id, 'resolve', actor, note, 'acted');
      return { alert: final, created, actions };
    }),
  );
}

async function applyRollbackRules(store: Store, trx: Transaction<Database>, alert: AlertRecord, actor: string): Promise<RollbackAction[]> {
  const actions: RollbackAction[] = [];
  const monitor = await store.monitors.get(alert.monitorId as string, trx);
  for (const rule of await store.rollbackRules.forMonitor(monitor.id, trx)) {
    const release = await store.releases.get(rule.releaseId, trx);
    const target = rollbackTargetCheck(monitor.name, monitor.spec, { id: release.id, variant: release.targetVariant, names: release.names });
    if (!target.ok) {
      actions.push({ releaseId: release.id, variant: release.targetVariant, action: rule.action, from: release.status, to: null, skipped: `not acted: ${target.message} (the monitor changed after the rule was bound)` });
      continue;
    }
    const reason = `${alert.title} (alert ${alert.id})`;
    const event: ReleaseEvent = rule.action === 'rollback' ? { type: 'rollback', reason } : { type: 'narrow', percent: rule.percent ?? 1, reason };
    try {
      const applied = await store.releases.apply(release.id, event, actor, trx);
      actions.push({ releaseId: release.id, variant: release.targetVariant, action: rule.action, from: applied.previous.status, to: applied.release.status, skipped: null, auditSeq: applied.audit.seq });
      await emitWebhookEvent(
        store,
        alert.projectId,
        {
          id: `${alert.id}:${release.id}:${rule.action}`,
          type: rule.action === 'rollback' ? 'release.rollback' : 'release.narrowed',
          payload: {
            release: { id: release.id, variant: release.targetVariant, from: applied.previous, to: { status: applied.release.status, canaryPercent: applied.release.canaryPercent }, trafficPercent: applied.release.trafficPercent },
            reason,
            alert: alertPayload(alert),
            auditSeq: applied.audit.seq,
          },
        },
        trx,
      );
    } catch (e) {
      if (!(e instanceof EvalOpsError) || e.code !== 'conflict') throw e;
      actions.push({ releaseId: release.id, variant: release.targetVariant, action: rule.action, from: release.status, to: null, skipped: e.message });
    }
  }
  return actions;
}

/** The alert as webhooks and the API show it. */
export function alertPayload(alert: AlertRecord): Record<string, unknown> {
  return {
    id: alert.id,
    kind: alert.kind,
    status: alert.status,
    severity: alert.severity,
    title: alert.title,
    openedAt: alert.openedAt,
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgedAt: alert.acknowledgedAt,
    acknowledgement: alert.acknowledgement,
    resolvedBy: alert.resolvedBy,
    resolvedAt: alert.resolvedAt,
    resolution: alert.resolution,
    resolvedAs: alert.resolvedAs,
    evidence: alert.evidence,
  };
}
