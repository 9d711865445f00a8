import { z } from 'zod';
import type { LoadedConfig } from '../config/load-config.js';
import { EvalOpsError } from '../core/errors.js';
import { ruleText } from '../core/gate/rule-text.js';
import { recommendLifecycle, type LifecycleRecommendation } from '../core/lifecycle-recommendation.js';
import { LifecycleSchema, type Lifecycle } from '../core/metric.js';
import type { RunRecord } from '../store/run-repository.js';
import type { Store } from '../store/store.js';

export interface ScorecardMetric {
  readonly name: string;
  readonly owner: string | null;
  readonly failureClass: string | null;
  readonly lifecycle: Lifecycle;
  readonly scorerType: string;
  /** The newest completed run's value, with its 95% Wilson interval (null when nothing was scored). */
  readonly current: { readonly runId: string; readonly passRate: number | null; readonly n: number; readonly ci95: readonly [number, number] | null } | null;
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
  /** Cost of each run in the trend, newest first: total and per successful result (null when none succeeded). */
  readonly costs: readonly { readonly runId: string; readonly costUsd: number; readonly costPerSuccessUsd: number | null }[];
  readonly warnings: readonly string[];
}

/** What a scorecard shows of a metric's definition. */
interface MetricDefinition {
  readonly name: string;
  readonly owner: string | null;
  readonly failureClass: string | null;
  readonly lifecycle: Lifecycle;
  readonly scorerType: string;
  /** The rules that act on it. */
  readonly gates: readonly { readonly rule: string; readonly action: string }[];
}

/**
 * The scorecard of a configuration: every metric of `loaded` (owner, failure class, lifecycle, the
 * config's gate rules that act on it), with its current value, trend over the last `window` completed
 * runs and the lifecycle change its history suggests. For a library caller holding a config; the CLI
 * and the API use buildStoredScorecard, which needs no config.
 */
export async function buildScorecard(store: Store, loaded: LoadedConfig, window = 5): Promise<Scorecard> {
  const { config } = loaded;
  const { runs } = await recentRuns(store, config.project, window);
  const definitions = config.metrics.map((m): MetricDefinition => ({
    name: m.name,
    owner: m.owner ?? null,
    failureClass: m.failureClass ?? null,
    lifecycle: m.lifecycle,
    scorerType: m.scorer.type,
    gates: (config.gate?.rules ?? [])
      .filter((r) => r.metric === m.name || (r.failureClass !== undefined && r.failureClass === m.failureClass))
      .map((r) => ({ rule: ruleText(r), action: m.lifecycle === 'retired' ? 'none (retired)' : r.action })),
  }));
  return assemble(config.project, runs, definitions, window);
}

/** The parts of a stored decision the scorecard reads; anything unreadable counts as no rules. */
const DecisionRules = z
  .object({ findings: z.array(z.object({ rule: z.number(), ruleText: z.string(), metric: z.string(), ruleAction: z.string() })) })
  .catch({ findings: [] });

/**
 * `evalops scorecard` and `evalops metrics lifecycle`, locally and over the API: the scorecard from
 * what is stored, so it needs no config and reads the same wherever it is asked. The metrics and their
 * definitions (owner, failure class, lifecycle, scorer) are the snapshot the newest completed run took
 * of its config — the definitions in force at the last evaluation, not edits not yet run; the rules
 * each metric gates are those the project's newest gate decision applied to it (a failure-class rule
 * to every metric of the class). A retired metric gates nothing, so it lists no rules. Trend and
 * recommendation come from the last `window` completed runs, as in buildScorecard.
 * @example const card = await buildStoredScorecard(store, 'support-bot', 5);
 * @throws EvalOpsError('not_found') when the project does not exist.
 */
export async function buildStoredScorecard(store: Store, projectName: string, window = 5): Promise<Scorecard> {
  const { projectId, runs } = await recentRuns(store, projectName, window);
  const latest = runs[0];
  if (!latest) return { project: projectName, runs: 0, metrics: [], costs: [], warnings: [`project "${projectName}" has no completed runs yet: nothing to show`] };
  const decision = (await store.decisions.list(projectId, DecisionRules, 1))[0];
  const definitions = latest.metrics.map((m) => ({
    name: m.name,
    owner: m.owner ?? null,
    failureClass: m.failureClass ?? null,
    lifecycle: LifecycleSchema.catch('regression').parse(m.lifecycle),
    scorerType: m.scorerType,
  }));
  const gatesOf = (metric: (typeof definitions)[number]): MetricDefinition['gates'] => {
    if (metric.lifecycle === 'retired') return [];
    const seen = new Map<number, { rule: string; action: string }>();
    for (const f of decision?.document.findings ?? []) {
      const applies = f.metric === metric.name || (metric.failureClass !== null && f.metric === `failureClass:${metric.failureClass}`);
      if (applies && !seen.has(f.rule)) seen.set(f.rule, { rule: f.ruleText, action: f.ruleAction });
    }
    return [...seen.entries()].sort(([a], [b]) => a - b).map(([, g]) => g);
  };
  const card = assemble(projectName, runs, definitions.map((d) => ({ ...d, gates: gatesOf(d) })), window);
  if (decision) return card;
  return { ...card, warnings: [...card.warnings, 'no gate decision yet: the rules each metric gates show after the first `evalops gate`'] };
}

/** The project's last `window` completed runs with a summary, newest first. */
async function recentRuns(store: Store, projectName: string, window: number): Promise<{ projectId: string; runs: RunRecord[] }> {
  const project = await store.projects.findByName(projectName);
  if (!project) throw new EvalOpsError('not_found', `project "${projectName}" has no runs yet`);
  return { projectId: project.id, runs: (await store.runs.list(project.id, { status: 'completed', limit: window })).filter((r) => r.summary) };
}

function assemble(project: string, runs: readonly RunRecord[], definitions: readonly MetricDefinition[], window: number): Scorecard {
  const warnings: string[] = [];
  const latest = runs[0];
  const metrics = definitions.map((m): ScorecardMetric => {
    const trend = runs.map((r) => ({ runId: r.id, passRate: r.summary?.metrics[m.name]?.passRate ?? null }));
    const latestMetric = latest?.summary?.metrics[m.name];
    if (!m.owner && m.gates.length) warnings.push(`metric ${m.name} gates releases but has no owner`);
    return {
      name: m.name,
      owner: m.owner,
      failureClass: m.failureClass,
      lifecycle: m.lifecycle,
      scorerType: m.scorerType,
      current: latest && latestMetric ? { runId: latest.id, passRate: latestMetric.passRate, n: latestMetric.n, ci95: latestMetric.ci95 ?? null } : null,
      trend,
      gates: m.gates,
      recommendation: recommendLifecycle(m.name, m.lifecycle, trend.map((t) => t.passRate), { window, graduateAt: 0.95 }) ?? null,
    };
  });
  const costs = runs.map((r) => ({ runId: r.id, costUsd: r.summary?.costUsd ?? 0, costPerSuccessUsd: r.summary?.costPerSuccessUsd ?? null }));
  return { project, runs: runs.length, metrics, costs, warnings };
}
