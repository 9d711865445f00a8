import type { Transaction } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import type { ReleaseEvent } from '../core/release.js';
import type { AlertRecord, NewAlert } from '../store/alert-repository.js';
import { withWriteRetry } from '../store/audit-repository.js';
import type { Database } from '../store/database.js';
import type { Store } from '../store/store.js';
import { emitWebhookEvent } from './webhook-service.js';

/** What a rollback rule did (or why it could not) when its monitor fired. */
export interface RollbackAction {
  readonly releaseId: string;
  readonly variant: string;
  readonly action: 'rollback' | 'narrow';
  readonly from: string;
  readonly to: string | null;
  /** Why nothing changed (e.g. the release was already rolled back), when nothing did. */
  readonly skipped: string | null;
}

/**
 * Opens an alert and does everything that follows from it in one transaction: the audit entry, the
 * bound rollback rules (the release moves to rolled_back or its canary narrows, audited as a release
 * transition by `monitor:<name>`), and the webhook deliveries (`alert.opened`, `release.rollback`,
 * `release.narrowed`) written to the outbox. A second opener of the same dedupe key finds the open
 * alert and does nothing.
 */
export async function openAlert(store: Store, alert: NewAlert, options: { monitorName?: string } = {}): Promise<{ alert: AlertRecord; created: boolean; actions: RollbackAction[] }> {
  return withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const { alert: opened, created } = await store.alerts.open(alert, trx);
      if (!created) return { alert: opened, created, actions: [] };
      const actor = options.monitorName ? `monitor:${options.monitorName}` : 'evalops';
      await store.audit.append(opened.projectId, { actor, action: 'alert.transition', entityType: 'alert', entityId: opened.id, payload: { from: null, to: 'open', title: opened.title, kind: opened.kind, dedupeKey: opened.dedupeKey } }, trx);
      const actions = opened.monitorId ? await applyRollbackRules(store, trx, opened, actor) : [];
      if (actions.length > 0) await store.alerts.addEvidence(opened.id, { rollbackActions: actions }, trx);
      const final = await store.alerts.get(opened.id, trx);
      await emitWebhookEvent(store, final.projectId, { id: `${final.id}:opened`, type: 'alert.opened', payload: alertPayload(final) }, trx);
      return { alert: final, created, actions };
    }),
  );
}

async function applyRollbackRules(store: Store, trx: Transaction<Database>, alert: AlertRecord, actor: string): Promise<RollbackAction[]> {
  const actions: RollbackAction[] = [];
  for (const rule of await store.rollbackRules.forMonitor(alert.monitorId as string, trx)) {
    const release = await store.releases.get(rule.releaseId, trx);
    const reason = `${alert.title} (alert ${alert.id})`;
    const event: ReleaseEvent = rule.action === 'rollback' ? { type: 'rollback', reason } : { type: 'narrow', percent: rule.percent ?? 1, reason };
    try {
      const applied = await store.releases.apply(release.id, event, actor, trx);
      actions.push({ releaseId: release.id, variant: release.targetVariant, action: rule.action, from: applied.previous.status, to: applied.release.status, skipped: null });
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
    evidence: alert.evidence,
  };
}
