import type { Transaction } from 'kysely';
import type { AlertAction, AlertResolutionKind } from '../core/monitor/alert-lifecycle.js';
import type { AlertRecord } from '../store/alert-repository.js';
import { withWriteRetry } from '../store/audit-repository.js';
import type { Database } from '../store/database.js';
import type { Store } from '../store/store.js';
import { alertPayload } from './open-alert.js';
import { emitWebhookEvent } from './webhook-service.js';

/**
 * Acknowledges or resolves an alert, by a person (`manual`) or by the monitor itself (`recovered`
 * on auto-resolve, `acted` after a rollback rule moved the release), with the audit entry and the
 * webhook (`alert.acknowledged`, `alert.resolved`) in the same transaction.
 */
export async function moveAlert(store: Store, alertId: string, action: AlertAction, actor: string, note: string | null = null, resolvedAs: AlertResolutionKind = 'manual'): Promise<AlertRecord> {
  return withWriteRetry(() => store.db.transaction().execute((trx) => moveAlertIn(store, trx, alertId, action, actor, note, resolvedAs)));
}

/** moveAlert inside the caller's transaction. */
export async function moveAlertIn(store: Store, trx: Transaction<Database>, alertId: string, action: AlertAction, actor: string, note: string | null, resolvedAs: AlertResolutionKind): Promise<AlertRecord> {
  const { alert, from } = await store.alerts.move(alertId, action, actor, note, trx, resolvedAs);
  await store.audit.append(alert.projectId, { actor, action: 'alert.transition', entityType: 'alert', entityId: alert.id, payload: { from, to: alert.status, ...(action === 'resolve' ? { resolvedAs } : {}), ...(note ? { note } : {}) } }, trx);
  await emitWebhookEvent(store, alert.projectId, { id: `${alert.id}:${alert.status}`, type: action === 'acknowledge' ? 'alert.acknowledged' : 'alert.resolved', payload: alertPayload(alert) }, trx);
  return alert;
}
