import { EvalOpsError } from '../core/errors.js';
import { withWriteRetry } from '../store/audit-repository.js';
import type { MonitorRecord } from '../store/monitor-repository.js';
import type { Store } from '../store/store.js';

/**
 * Pauses or resumes a monitor, audited (`monitor.pause`, `monitor.resume`, with the reason) in the
 * same transaction. A paused monitor neither evaluates nor alerts (src/monitor/evaluate-monitors.ts):
 * its open alert, if any, stays as it is until a person moves it. Pausing a paused monitor, or
 * resuming a running one, is refused as a conflict naming its state.
 */
export async function setMonitorPaused(store: Store, monitor: MonitorRecord, paused: boolean, actor: string, reason: string | null, nowMs: number = Date.now()): Promise<MonitorRecord> {
  return withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const at = new Date(nowMs).toISOString();
      const changed = await store.monitors.setPaused(monitor.id, paused ? { at, by: actor, reason } : null, trx);
      if (!changed) {
        const current = await store.monitors.get(monitor.id, trx);
        throw new EvalOpsError(
          'conflict',
          paused && current.paused
            ? `monitor ${monitor.name} is already paused (by ${current.paused.by} at ${current.paused.at})`
            : `monitor ${monitor.name} is not paused`,
        );
      }
      await store.audit.append(monitor.projectId, { actor, action: paused ? 'monitor.pause' : 'monitor.resume', entityType: 'monitor', entityId: monitor.id, payload: { name: monitor.name, ...(reason ? { reason } : {}) } }, trx);
      return store.monitors.get(monitor.id, trx);
    }),
  );
}
