import type { BudgetAlertEvidence } from '../core/monitor/alert-evidence.js';
import type { OnlineRuleRecord } from '../store/online-rule-repository.js';
import type { Store } from '../store/store.js';
import { openAlert } from './open-alert.js';
import { emitWebhookEvent } from './webhook-service.js';

/**
 * An online rule spent its daily cost budget: sampling stops for the rest of the UTC day and one
 * alert opens (deduplicated per rule and day), with a `budget.exhausted` webhook.
 */
export async function raiseBudgetAlert(store: Store, rule: OnlineRuleRecord, day: string, spentUsd: number, now: () => number = Date.now): Promise<void> {
  if (!(await store.onlineRules.markBudgetSpent(rule.id, day))) return;
  const budget = rule.spec.budgetUsdPerDay ?? 0;
  const evidence: BudgetAlertEvidence = {
    rule: rule.name,
    day,
    spentUsd,
    budgetUsdPerDay: budget,
    effect: 'no more traces are scored by this rule until 00:00 UTC; raise budgetUsdPerDay or lower sampleRate',
    at: new Date(now()).toISOString(),
  };
  const { alert, created } = await openAlert(store, {
    projectId: rule.projectId,
    monitorId: null,
    ruleId: rule.id,
    kind: 'budget',
    dedupeKey: `budget:${rule.id}:${day}`,
    severity: 'ticket',
    title: `online rule ${rule.name} spent its judge budget for ${day} ($${spentUsd.toFixed(4)} of $${budget})`,
    evidence,
  });
  if (created) await emitWebhookEvent(store, rule.projectId, { id: `${alert.id}:budget`, type: 'budget.exhausted', payload: { rule: rule.name, day, spentUsd, budgetUsdPerDay: budget, alertId: alert.id } });
}
