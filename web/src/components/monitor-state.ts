import { pct } from './format';
import type { Monitor } from './monitor-api';

export type MonitorState = 'firing' | 'warming' | 'ok' | 'error' | 'never';

export const MONITOR_STATE_WORDS: Record<MonitorState, string> = { firing: 'FIRING', warming: 'warming up', ok: 'ok', error: 'error', never: 'not evaluated' };

/** The state of the last evaluation (an open record on the API: the evaluation, or the error that stopped it). */
export function monitorState(m: Monitor): MonitorState {
  const e = m.lastEvaluation;
  if (e === null) return 'never';
  if (typeof e['error'] === 'string') return 'error';
  if (e['firing'] === true) return 'firing';
  if (e['warmingUp'] === true) return 'warming';
  return 'ok';
}

/** The detector in words: "canary v2 vs live v1 (alpha 0.01, ≥ 100 traces each, 180 min)". */
export function detectorInWords(spec: Record<string, unknown>): string {
  const d = typeof spec['detector'] === 'object' && spec['detector'] !== null ? (spec['detector'] as Record<string, unknown>) : {};
  const kind = typeof d['kind'] === 'string' ? d['kind'] : 'cusum';
  if (kind === 'canary') return `canary ${String(d['canary'])} vs live ${String(d['live'])} (alpha ${String(d['alpha'])}, ≥ ${String(d['minSamples'])} traces each, ${String(d['windowMinutes'])} min)`;
  if (kind === 'threshold') return `below ${typeof d['threshold'] === 'number' ? pct(d['threshold']) : '?'} over ${String(d['windowMinutes'])} min (≥ ${String(d['minSamples'])} traces)`;
  if (kind === 'judge-drift') return `judge vs reviewers: over ${typeof d['threshold'] === 'number' ? pct(d['threshold']) : '?'} disagreement (≥ ${String(d['minItems'])} items per ${String(d['bucketHours'])} h)`;
  return `${kind} change detection${typeof spec['release'] === 'string' ? ` on ${spec['release']}` : ''}`;
}
