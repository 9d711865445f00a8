import { type Detectability, detectability, trafficModel } from '../core/monitor/detectability.js';
import { armingOf, type MonitorArming, type SeriesBucket } from '../core/monitor/evaluate-monitor.js';
import type { MonitorSpec } from '../core/monitor/monitor-spec.js';
import type { Store } from '../store/store.js';

/** Detectability as stored with a monitor's evaluation: the figures, the inputs they were computed for, and when. */
export interface StoredDetectability extends Detectability {
  readonly computedAt: string;
  /** The spec fields the figures depend on, to know when to recompute. */
  readonly specKey: string;
}

const RECOMPUTE_MS = 6 * 3_600_000;
/** Never recomputed more often than this for the same spec (a burst of traffic moves the rate quickly). */
const MIN_AGE_MS = 10 * 60_000;

export function isChangeMonitor(spec: MonitorSpec): boolean {
  const k = spec.detector.kind;
  return k === 'cusum' || k === 'ewma' || k === 'page-hinkley' || k === 'shiryaev-roberts';
}

/**
 * A change monitor's series over its lookback, as the evaluation reads it: the spans of its release
 * by any of the release's names or its variant, and only from `evaluateFromMs` on when a rollback
 * rule narrowed the release (the traces before the action are stale).
 */
export async function changeSeries(store: Store, monitor: { readonly projectId: string; readonly evaluateFromMs?: number | null }, ruleId: string, spec: MonitorSpec, nowMs: number): Promise<SeriesBucket[]> {
  const bucketMs = spec.bucketMinutes * 60_000;
  const fromMs = Math.max(nowMs - spec.lookbackHours * 3_600_000, monitor.evaluateFromMs ?? -Infinity);
  const release = spec.release === undefined ? undefined : await store.releases.aliases(monitor.projectId, spec.release);
  const raw = await store.onlineScores.passBuckets(ruleId, spec.metric, { release, fromMs, bucketMs });
  return raw.map((b) => ({ ...b, endMs: b.startMs + bucketMs }));
}

/**
 * The monitor's detectability at the traffic of its series (src/core/monitor/detectability.ts), or
 * null without traffic or for a monitor that is not a change monitor. The simulation costs about a
 * quarter of a second, so a previous figure is kept while the spec is the same, the traffic within
 * 10% and the reference within half a point, for up to six hours.
 */
export function monitorDetectability(spec: MonitorSpec, buckets: readonly SeriesBucket[], nowMs: number, reference: number | null, previous?: unknown): StoredDetectability | null {
  if (!isChangeMonitor(spec)) return null;
  const traffic = trafficModel(buckets, nowMs, reference);
  if (!traffic) return null;
  const specKey = JSON.stringify([spec.detector, spec.bucketMinutes, spec.lookbackHours]);
  const prev = previous as Partial<StoredDetectability> | undefined;
  const age = prev ? nowMs - Date.parse(prev.computedAt ?? '') : Number.POSITIVE_INFINITY;
  if (prev && prev.specKey === specKey && age >= 0 && age < MIN_AGE_MS) return prev as StoredDetectability;
  if (
    prev &&
    prev.specKey === specKey &&
    typeof prev.perDay === 'number' &&
    Math.abs(prev.perDay - traffic.perDay) <= 0.1 * traffic.perDay &&
    Math.abs((prev.reference ?? -1) - traffic.reference) <= 0.005 &&
    Math.abs((prev.dayRateSd ?? -1) - traffic.dayRateSd) <= 0.003 &&
    age < RECOMPUTE_MS
  ) {
    return prev as StoredDetectability;
  }
  return { ...detectability(spec, traffic), computedAt: new Date(nowMs).toISOString(), specKey };
}

/** Arming and detectability of a change monitor from its stored history: what `online apply` reports. */
export async function monitorOutlook(store: Store, monitor: { readonly projectId: string; readonly evaluateFromMs?: number | null }, ruleId: string, spec: MonitorSpec, nowMs: number): Promise<{ arming: MonitorArming | null; detectability: StoredDetectability | null }> {
  if (!isChangeMonitor(spec)) return { arming: null, detectability: null };
  const buckets = await changeSeries(store, monitor, ruleId, spec, nowMs);
  const { armTraces: _armTraces, ...arming } = armingOf(spec, buckets, nowMs);
  return { arming, detectability: monitorDetectability(spec, buckets, nowMs, null) };
}
