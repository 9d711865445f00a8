import type { TriageItem } from '../core/triage/triage-cluster.js';
import { SpanQueries } from '../store/span-queries.js';
import type { Store } from '../store/store.js';
import { summarise } from '../traces/trace-service.js';
import { asText } from './result-item.js';

/**
 * Traces as triage items: the root span's input and output (clipped), the release, the start time,
 * and why they failed — the root span's error status and the failing online verdicts' reasons,
 * given by the caller (an alert's scores carry their reasons; a trace filter has only verdicts).
 */

const TEXT_LIMIT = 2000;

export interface TraceFailure {
  readonly metrics: readonly string[];
  readonly reasons: readonly string[];
}

export async function traceItems(store: Store, projectId: string, traceIds: readonly string[], failures: ReadonlyMap<string, TraceFailure> = new Map()): Promise<TriageItem[]> {
  const out: TriageItem[] = [];
  for (let i = 0; i < traceIds.length; i += 500) {
    const chunk = traceIds.slice(i, i + 500);
    const [summaries, io] = await Promise.all([summarise(store, projectId, chunk), new SpanQueries(store.db, store.dialect).rootIo(projectId, chunk)]);
    for (const s of summaries) {
      const given = failures.get(s.traceId);
      const failedVerdicts = s.online.filter((v) => v.pass === false).map((v) => v.metric);
      const metrics = [...new Set([...(given?.metrics ?? []), ...failedVerdicts, ...(s.status === 'error' ? ['trace_error'] : [])])].sort();
      const reasons = [...(s.status === 'error' ? ['error: the root span ended in error'] : []), ...(given?.reasons ?? failedVerdicts.map((m) => `${m}: failed`))];
      const root = io.get(s.traceId);
      out.push({
        key: s.traceId,
        traceId: s.traceId,
        input: asText(root?.input).slice(0, TEXT_LIMIT),
        output: asText(root?.output).slice(0, TEXT_LIMIT),
        reason: reasons.join('\n'),
        slices: [],
        ...(s.release === undefined ? {} : { release: s.release }),
        failingMetrics: metrics,
        timeMs: s.startTimeMs,
      });
    }
  }
  return out;
}
