import type { AlertAction } from '../core/monitor/alert-lifecycle.js';
import type { AlertRecord } from '../store/alert-repository.js';
import { withWriteRetry } from '../store/audit-repository.js';
import type { Store } from '../store/store.js';
import { alertPayload } from './open-alert.js';
import { emitWebhookEvent } from './webhook-service.js';

/**
 * Acknowledges or resolves an alert, by a person or by the monitor itself (auto-resolve), with the
 * audit entry and the webhook (`alert.acknowledged`, `alert.resolved`) in the same transaction.
 */
export async function moveAlert(store: Store, alertId: string, action: AlertAction, actor: string, note: string | null = null): Promise<AlertRecord> {
  return withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const { alert, from } = await store.alerts.move(alertId, action, actor, note, trx);
      await store.audit.append(alert.projectId, { actor, action: 'alert.transition', entityType: 'alert', entityId: alert.id, payload: { from, to: alert.status, ...(note ? { note } : {}) } }, trx);
      await emitWebhookEvent(store, alert.projectId, { id: `${alert.id}:${alert.status}`, type: action === 'acknowledge' ? 'alert.acknowledged' : 'alert.resolved', payload: alertPayload(alert) }, trx);
      return alert;
    }),
  );
}
