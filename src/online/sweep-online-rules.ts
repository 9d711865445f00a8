import { matchesFilter } from '../core/online/match-filter.js';
import { traceFlags } from '../core/online/trace-flags.js';
import { inSample } from '../core/online/trace-sample.js';
import type { OnlineRuleRecord } from '../store/online-rule-repository.js';
import type { Store } from '../store/store.js';
import type { JobQueue, QueuedJob } from './job-queue.js';
import { sweepSessionRule } from './sweep-session-rule.js';
import { traceFacts } from './trace-facts.js';

export interface SweepOptions {
  readonly now?: () => number;
  /** Root spans read per query. */
  readonly batch?: number;
  /** Batches per rule per sweep, so one busy rule does not starve the others. */
  readonly maxBatches?: number;
}

export interface SweepOutcome {
  readonly considered: number;
  readonly sampled: number;
  readonly flagged: number;
  /** Sessions found ready (idle or ended) by rules that target sessions, handed to scoring. */
  readonly sessions: number;
}

/** The job data of one trace to score. */
export interface ScoreJobData extends Record<string, unknown> {
  readonly ruleId: string;
  readonly traceId: string;
  readonly sampled: boolean;
  readonly flags: readonly string[];
}

/**
 * One pass over every enabled online rule: the root spans that arrived since the rule's cursor (and
 * at least `settleSeconds` ago) are filtered, sampled by trace id and flagged; the sampled and
 * flagged ones become scoring jobs; the cursor moves past them by compare-and-set. Two workers
 * sweeping at once read the same batch, send the same job keys (the queue keeps one) and only one
 * moves the cursor — so no trace is skipped and none is scored twice.
 */
export async function sweepOnlineRules(store: Store, queue: JobQueue, options: SweepOptions = {}): Promise<SweepOutcome> {
  const now = options.now ?? Date.now;
  let considered = 0;
  let sampled = 0;
  let flagged = 0;
  let sessions = 0;
  for (const start of await store.onlineRules.listEnabled()) {
    let rule: OnlineRuleRecord = start;
    // A release in the filter matches spans stamped with any of its names or its variant.
    const releases = start.spec.filter.releases;
    const filter = releases ? { ...start.spec.filter, releases: [...new Set((await Promise.all(releases.map((r) => store.releases.aliases(start.projectId, r)))).flat())] } : start.spec.filter;
    if (start.spec.target === 'sessions') {
      const swept = await sweepSessionRule(store, queue, start, filter, { now, batch: options.batch ?? 500, maxBatches: options.maxBatches ?? 20 });
      considered += swept.considered;
      sessions += swept.ready;
      continue;
    }
    for (let b = 0; b < (options.maxBatches ?? 20); b += 1) {
      const until = new Date(now() - rule.spec.settleSeconds * 1000).toISOString();
      const traces = await store.onlineRules.nextTraces(rule, until, options.batch ?? 500);
      if (traces.length === 0) break;
      const facts = await traceFacts(store, rule.projectId, traces);
      const jobs: QueuedJob[] = [];
      for (const f of facts) {
        if (!matchesFilter(filter, f)) continue;
        const inSampleNow = inSample(f.traceId, rule.spec.sampleRate);
        const flags = traceFlags(f, rule.spec.flags);
        if (!inSampleNow && flags.length === 0) continue;
        const data: ScoreJobData = { ruleId: rule.id, traceId: f.traceId, sampled: inSampleNow, flags };
        jobs.push({ key: `${rule.id}:${f.traceId}`, data });
        if (inSampleNow) sampled += 1;
        if (flags.length > 0) flagged += 1;
      }
      await queue.send(jobs);
      considered += traces.length;
      const last = traces[traces.length - 1]!;
      if (!(await store.onlineRules.advanceCursor(rule, last.receivedAt, last.traceId))) break; // another worker is on it
      rule = { ...rule, cursorAt: last.receivedAt, cursorTrace: last.traceId };
      if (traces.length < (options.batch ?? 500)) break;
    }
  }
  return { considered, sampled, flagged, sessions };
}
