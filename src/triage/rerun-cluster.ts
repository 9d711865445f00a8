import type { LoadedConfig } from '../config/load-config.js';
import { errorMessage } from '../core/errors.js';
import type { TargetConfig } from '../core/target-config.js';
import { compareRuns } from '../gate/compare-runs.js';
import { runEvaluation, type RunEvaluationDeps } from '../runner/run-evaluation.js';
import type { TriageReport, TriageRerun } from './triage-report.js';

/**
 * The targeted rerun of a triage report (the *fly* stage's "run targeted evaluations"): the items of
 * the report's first cluster, already written as a dataset version (`promote` does it), run with the
 * project config's metrics against the alert's live and canary releases — the config's model target
 * pointed at each release's stored config — and the two runs compared; against the configured target
 * alone when it is not a release config. It runs here, on the machine that has the config and can
 * reach the target, and stores its runs in the local database like `evalops run`, without the response
 * cache (a cached answer could predate what went wrong). What cannot be run
 * is said, not guessed.
 */

export interface RerunInput {
  readonly report: TriageReport;
  /** The project config (-c, or found in the working directory); undefined when there is none. */
  readonly loaded: LoadedConfig | undefined;
  /** Writes the cluster's items as a dataset version and names it (the promotion operation). */
  readonly promote: (cluster: string, dataset: string) => Promise<{ readonly dataset: string; readonly version: string; readonly promoted: number }>;
}

/** Why the rerun cannot happen, or undefined when it can: no alert, no cluster, no config, another project. */
export function rerunBlocker(report: TriageReport, loaded: LoadedConfig | undefined): string | undefined {
  if (report.source.kind !== 'alert') return 'only an alert triage reruns its cluster';
  if (!report.clusters.some((c) => c.id !== 'noise')) return 'no cluster to rerun';
  if (loaded === undefined) return 'needs the project config and its target: give -c CONFIG (none was found in the working directory)';
  if (loaded.config.project !== report.project) return `the config is project "${loaded.config.project}", the alert is "${report.project}"`;
  return undefined;
}

export async function rerunCluster(input: RerunInput, deps: RunEvaluationDeps): Promise<TriageRerun> {
  const { report } = input;
  const loaded = input.loaded as LoadedConfig;
  const cluster = report.clusters.find((c) => c.id !== 'noise')!;
  const alertId = report.source.alertId ?? 'alert';
  const promoted = await input.promote(cluster.id, `triage-${alertId}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 200));
  const live = report.whatMoved?.live ?? null;
  const canary = report.whatMoved?.release ?? null;
  const target = loaded.config.target;
  const byRelease = target.type === 'model' && (target.release !== undefined || target.config !== undefined) && live !== null && canary !== null;
  const releases: (string | null)[] = byRelease ? [live, canary] : [null];
  const runs: TriageRerun['runs'] = [];
  for (const release of releases) {
    const config = { ...loaded.config, dataset: { name: promoted.dataset, version: promoted.version }, target: release === null ? target : releaseTarget(target, release), release: undefined };
    try {
      const result = await runEvaluation({ ...loaded, config }, { labels: { triage: alertId, cluster: cluster.id, ...(release === null ? {} : { release }) }, cache: false, ...(release === null ? {} : { release }) }, deps);
      const s = result.summary;
      runs.push({ release, runId: s.runId, status: 'ran', why: null, examples: s.results.total, errors: s.results.errors, passRates: Object.fromEntries(Object.entries(s.metrics).map(([m, x]) => [m, x.passRate])) });
    } catch (e) {
      runs.push({ release, runId: null, status: 'failed', why: errorMessage(e), examples: 0, errors: 0, passRates: {} });
    }
  }
  const [a, b] = runs;
  let comparison: TriageRerun['comparison'] = null;
  let compareWhy: string | null = byRelease ? null : `the config's target is ${target.type === 'model' ? 'a model target without a release' : `a ${target.type} target`}, so live and canary cannot be run apart (a model target with release: NAME can)${live === null || canary === null ? '; the alert names no live and canary releases' : ''}`;
  if (byRelease && a?.runId && b?.runId) {
    const c = await compareRuns(deps.store, a.runId, b.runId);
    comparison = c.comparisons.filter((x) => x.slice === null).map((x) => ({ metric: x.metric, live: x.baseline, canary: x.candidate, delta: x.delta, ci95: x.ci95, pValue: x.pValue, verdict: x.verdict }));
  } else if (byRelease) compareWhy = 'a rerun failed, so there is nothing to compare';
  return { cluster: cluster.id, dataset: promoted.dataset, version: promoted.version, items: promoted.promoted, runs, comparison, compareWhy };
}

function releaseTarget(target: TargetConfig, release: string): TargetConfig {
  if (target.type !== 'model') return target;
  const { config: _file, release: _release, ...rest } = target;
  return { ...rest, release };
}

/** The report with the rerun in it: its commands marked ran (or why not), and the results. */
export function withRerun(report: TriageReport, rerun: TriageRerun, flag: string): TriageReport {
  const commands = report.commands.filter((c) => !(c.status === 'to_run' && (c.command.startsWith('evalops run ') || c.command.startsWith('evalops compare '))));
  commands.push({ command: `evalops triage ${flag} --promote ${rerun.cluster} --dataset ${rerun.dataset}`, purpose: `the items of ${rerun.cluster} as a dataset version to rerun`, status: 'ran', outcome: `${rerun.items} example(s) in ${rerun.dataset}@${rerun.version.slice(0, 12)}` });
  for (const r of rerun.runs) {
    const on = r.release === null ? 'the configured target' : `release ${r.release}`;
    const rates = Object.entries(r.passRates).map(([m, p]) => `${m} ${p === null ? '—' : `${(p * 100).toFixed(0)}%`}`).join(', ');
    commands.push({ command: `evalops run -c <config> (dataset ${rerun.dataset}${r.release === null ? '' : `, target.release ${r.release}`}) --label triage=${report.source.alertId ?? ''}`, purpose: `targeted rerun of ${rerun.cluster} against ${on}`, status: r.status === 'ran' ? 'ran' : 'to_run', outcome: r.status === 'ran' ? `run ${r.runId}: ${r.examples} result(s), ${r.errors} error(s); pass rates ${rates || 'none'}` : `failed: ${r.why}` });
  }
  const [a, b] = rerun.runs;
  if (rerun.comparison !== null && a?.runId && b?.runId) {
    const moved = rerun.comparison.map((c) => `${c.metric} ${c.delta === null ? '—' : `${c.delta >= 0 ? '+' : ''}${(c.delta * 100).toFixed(1)} pts`} (${c.verdict})`).join(', ');
    commands.push({ command: `evalops compare ${a.runId} ${b.runId} --json`, purpose: `canary ${b.release} against live ${a.release} on the cluster's items`, status: 'ran', outcome: moved || 'no metric in common' });
  } else {
    commands.push({ command: 'evalops compare <live-run> <canary-run> --json', purpose: "compare live and canary on the cluster's items", status: 'to_run', outcome: `not run: ${rerun.compareWhy ?? 'nothing to compare'}` });
  }
  return { ...report, commands, rerun };
}

/** The report with its reruns left to run, each saying why triage did not run it. */
export function withRerunBlocked(report: TriageReport, why: string): TriageReport {
  return { ...report, commands: report.commands.map((c) => (c.status === 'to_run' && (c.command.startsWith('evalops run ') || c.command.startsWith('evalops compare ')) ? { ...c, outcome: `not run: ${why}` } : c)) };
}
