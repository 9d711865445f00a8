import type { Example } from '../core/example.js';
import type { TriageItem } from '../core/triage/triage-cluster.js';
import type { ResultRecord } from '../store/run-repository.js';

/**
 * A run result as a triage item: its example's input and slices, its output (with the tools it
 * called), and why it failed — the target's error and the reasons of the scores that failed or
 * errored. A result without its example (the dataset lost it) still triages, by output and reason.
 */
export function resultItem(runId: string, result: ResultRecord, example: Example | undefined, failingMetrics: readonly string[]): TriageItem {
  const reasons: string[] = [];
  if (result.error !== undefined) reasons.push(`error: ${result.error}`);
  for (const metric of failingMetrics) {
    const s = result.scores[metric];
    if (s) reasons.push(`${metric}: ${s.reason ?? (s.status === 'errored' ? 'scorer error' : 'failed')}`);
  }
  const tools = result.toolCalls.map((c) => c.name);
  return {
    key: `${result.exampleId}#${result.trial}`,
    exampleId: result.exampleId,
    runId,
    input: example ? asText(example.input) : '',
    output: `${asText(result.output)}${tools.length > 0 ? `\ntools: ${tools.join(' ')}` : ''}`,
    reason: reasons.join('\n'),
    slices: example ? [...example.slices] : [],
    failingMetrics: [...failingMetrics],
  };
}

/** Metrics whose score failed or errored; a target error fails the run's `error_rate`. */
export function failingMetricsOf(result: ResultRecord): string[] {
  const out = Object.entries(result.scores)
    .filter(([, s]) => s.pass === false || s.status === 'errored')
    .map(([m]) => m)
    .sort();
  return result.error !== undefined ? ['error_rate', ...out] : out;
}

export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
