import type { LoadedConfig } from '../config/load-config.js';
import { EvalOpsError } from '../core/errors.js';
import { ruleText } from '../core/gate/rule-text.js';
import { recommendLifecycle, type LifecycleRecommendation } from '../core/lifecycle-recommendation.js';
import type { Lifecycle } from '../core/metric.js';
import type { Store } from '../store/store.js';

export interface ScorecardMetric {
  readonly name: string;
  readonly owner: string | null;
  readonly failureClass: string | null;
  readonly lifecycle: Lifecycle;
  readonly scorerType: string;
  readonly current: { readonly runId: string; readonly passRate: number | null; readonly n: number } | null;
  /** Pass rates of the last runs, newest first. */
  readonly trend: readonly { readonly runId: string; readonly passRate: number | null }[];
  /** The gate rules that act on this metric (by name or failure class) and what they do. */
  readonly gates: readonly { readonly rule: string; readonly action: string }[];
  readonly recommendation: LifecycleRecommendation | null;
}

export interface Scorecard {
  readonly project: string;
  readonly runs: number;
  readonly metrics: readonly ScorecardMetric[];
  readonly warnings: readonly string[];
}

/**
 * `evalops scorecard` and `evalops metrics lifecycle`: every configured metric with its owner,
 * failure class, lifecycle state, current value, trend over the last runs, the rules it gates and the
 * lifecycle change its history suggests.
 */
export async function buildScorecard(store: Store, loaded: LoadedConfig, window = 5): Promise<Scorecard> {
  const { config } = loaded;
  const project = await store.projects.findByName(config.project);
  if (!project) throw new EvalOpsError('not_found', `project "${config.project}" has no runs yet`);
  const runs = (await store.runs.list(project.id, { status: 'completed', limit: window })).filter((r) => r.summary);
  const warnings: string[] = [];
  const metrics = config.metrics.map((m): ScorecardMetric => {
    const trend = runs.map((r) => ({ runId: r.id, passRate: r.summary?.metrics[m.name]?.passRate ?? null }));
    const latest = runs[0];
    const latestMetric = latest?.summary?.metrics[m.name];
    const gates = (config.gate?.rules ?? [])
      .filter((r) => r.metric === m.name || (r.failureClass !== undefined && r.failureClass === m.failureClass))
      .map((r) => ({ rule: ruleText(r), action: m.lifecycle === 'retired' ? 'none (retired)' : r.action }));
    if (!m.owner && gates.length) warnings.push(`metric ${m.name} gates releases but has no owner`);
    return {
      name: m.name,
      owner: m.owner ?? null,
      failureClass: m.failureClass ?? null,
      lifecycle: m.lifecycle,
      scorerType: m.scorer.type,
      current: latest && latestMetric ? { runId: latest.id, passRate: latestMetric.passRate, n: latestMetric.n } : null,
      trend,
      gates,
      recommendation: recommendLifecycle(m.name, m.lifecycle, trend.map((t) => t.passRate), { window, graduateAt: 0.95 }) ?? null,
    };
  });
  return { project: config.project, runs: runs.length, metrics, warnings };
}
