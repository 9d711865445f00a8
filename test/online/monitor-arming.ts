/**
 * A change monitor at low traffic (issue 15), through the store and the evaluation service: at 100
 * scored traces a day it arms within its 14-day lookback (the old traces-only rule needed 7,000
 * traces, 70 days, and never armed), says how long until armed while it learns, and stores what it
 * can detect at that traffic. Shared by the SQLite and PostgreSQL suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { evaluateOneMonitor } from '../../src/monitor/evaluate-monitors.js';
import type { Store } from '../../src/store/store.js';

const DAY = 86_400_000;

export function monitorArmingSuite(label: string, open: () => Promise<Store>): void {
  describe(`change monitors arm at the traffic they get (${label})`, () => {
    let store: Store;
    let projectId = '';
    const now = Date.now();
    beforeAll(async () => {
      store = await open();
      projectId = (await store.projects.ensure('arming')).id;
    });
    afterAll(async () => store?.close());

    let n = 0;
    /** `perDay` scored traces a day over the `days` days before now, passing at `rate` (exact counts per day). */
    const record = async (ruleId: string, days: number, perDay: number, rate: number): Promise<void> => {
      for (let d = days; d >= 1; d--) {
        const passes = Math.round(perDay * rate);
        for (let i = 0; i < perDay; i++) {
          n += 1;
          const pass = Math.floor(((i + 1) * passes) / perDay) > Math.floor((i * passes) / perDay);
          await store.onlineScores.record(
            { ruleId, traceId: `a${n.toString(16).padStart(31, '0')}`, projectId, sampled: true, flags: [], release: 'v1', cohort: {}, traceStartMs: now - d * DAY + Math.floor((i * DAY) / perDay), latencyMs: 50, costUsd: null, error: false, scoringCostUsd: 0, scoredAt: new Date(now).toISOString() },
            [{ metric: 'ok', spanId: null, status: 'scored', value: pass ? 1 : 0, pass, label: null, reason: null, scorerVersion: 'v' }],
          );
        }
      }
    };

    it('at 100 traces/day: armed after 7 of 10 days of history, with detectability figures and a lookback warning', async () => {
      const { rule } = await store.onlineRules.save(projectId, OnlineRuleSpecSchema.parse({ name: 'low', metrics: [{ name: 'ok', scorer: { type: 'contains', value: 'x' } }] }));
      const { monitor } = await store.monitors.save(projectId, MonitorSpecSchema.parse({ name: 'low-traffic', rule: 'low', metric: 'ok' }));
      await record(rule.id, 10, 100, 0.85);
      const tick = await evaluateOneMonitor(store, monitor, () => now);
      expect(tick.error).toBeNull();
      expect(tick.evaluation).toMatchObject({ firing: false, warmingUp: false });
      expect(tick.evaluation?.arming).toMatchObject({ armed: true, warmupTraces: 7000, warmupDays: 7, etaDays: 0 });
      // The reference is the first 7 days' traces (10-minute buckets: the bucket that reaches day 7 closes it).
      expect(tick.evaluation!.arming!.referenceTraces).toBeGreaterThanOrEqual(700);
      expect(tick.evaluation!.arming!.referenceTraces).toBeLessThanOrEqual(702);
      expect(tick.evaluation!.baseline).toBeCloseTo(0.85, 2);
      const stored = (await store.monitors.get(monitor.id)).lastEvaluation as Record<string, any>;
      expect(stored['arming']).toMatchObject({ armed: true });
      const d = stored['detectability'];
      expect(d.perDay).toBeCloseTo(100, 0);
      expect(d.reference).toBeCloseTo(0.85, 2);
      expect(d.dayRateSd).toBe(0); // exact daily counts: no overdispersion
      expect(d.armingDays).toBeCloseTo(7, 1);
      expect(d.falseAlarmsPer30Days).toBeGreaterThan(0);
      expect(d.falseAlarmsPer30Days).toBeLessThan(1);
      expect(d.expectedDetectionDays).toBeGreaterThan(3);
      expect(d.warnings.join('\n')).toMatch(/5-point drop is detected within the 7\.0 days its 14\.0 days lookback leaves after arming in only/);
      // Evaluated again at once (as the worker does, from the stored monitor): the figures are kept, not simulated again.
      await evaluateOneMonitor(store, await store.monitors.get(monitor.id), () => now + 1000);
      expect(((await store.monitors.get(monitor.id)).lastEvaluation as Record<string, any>)['detectability'].computedAt).toBe(d.computedAt);
    });

    it('with 3 days of history at 100 traces/day: learning, and armed in about 4 days', async () => {
      const { rule } = await store.onlineRules.save(projectId, OnlineRuleSpecSchema.parse({ name: 'young', metrics: [{ name: 'ok', scorer: { type: 'contains', value: 'x' } }] }));
      const { monitor } = await store.monitors.save(projectId, MonitorSpecSchema.parse({ name: 'young-monitor', rule: 'young', metric: 'ok' }));
      await record(rule.id, 3, 100, 0.85);
      const tick = await evaluateOneMonitor(store, monitor, () => now);
      expect(tick.evaluation).toMatchObject({ firing: false, warmingUp: true, arming: { armed: false, referenceTraces: 300 } });
      const a = tick.evaluation!.arming!;
      // The first trace is 3 days ago, at the start of its 10-minute bucket: 4 days minus at most a bucket remain.
      expect(a.etaDays!).toBeGreaterThan(4 - 600_000 / DAY - 1e-9);
      expect(a.etaDays!).toBeLessThanOrEqual(4);
      expect(a.observedPerDay!).toBeCloseTo(100, 0);
      expect(tick.evaluation!.summary).toMatch(/^learning the reference level: 300 of 7000 traces or 3\.0 of 7 days; arms in 4\.0 days at 100 traces\/day$/);
    });
  });
}
