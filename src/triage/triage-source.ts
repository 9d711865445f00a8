import type { Population } from '../core/triage/describe-clusters.js';
import type { TriageItem } from '../core/triage/triage-cluster.js';

/** What a triage clusters: the failing items of one source, how many there were, and its whole. */
export interface TriageSource {
  readonly items: readonly TriageItem[];
  /** Failing items the source holds; more than `items.length` when the limit cut them. */
  readonly total: number;
  readonly population: Population;
  /** Owner of each metric, from the run's metric snapshot or the monitor. */
  readonly owners: Readonly<Record<string, string>>;
}
