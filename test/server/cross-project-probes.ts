import type { SeededProject } from './cross-project-seed.js';

/**
 * What the cross-project contract sends for each operation: A's value for every path and query
 * parameter it knows, a body for every operation that takes one, and the requests that mix B's own
 * ids with A's. An operation whose parameter or body is not described here fails the contract.
 */

export type Role = 'id' | 'name';
export interface Param {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required?: boolean;
}
export interface DocOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Param[];
  readonly hasBody: boolean;
}
export interface Probe {
  readonly label: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  /** A's ids this request carries, each with an unknown id of the same shape to compare answers with. */
  readonly ids: ReadonlyMap<string, string>;
  /** Where an id of A sits: the path answers 404, the query or the body a 4xx. */
  readonly idIn: 'path' | 'query-or-body' | 'none';
  readonly otherProject: boolean;
}

/** Path parameters: `id` ones are ids of A (a 404 in B), `name` ones live in each project's namespace. */
export const PATH_PARAMS: Readonly<Record<string, { role: Role; of: (a: SeededProject) => string }>> = {
  runId: { role: 'id', of: (a) => a.runId },
  baselineRunId: { role: 'id', of: (a) => a.baselineRunId },
  candidateRunId: { role: 'id', of: (a) => a.runId },
  decisionId: { role: 'id', of: (a) => a.decisionId },
  release: { role: 'id', of: (a) => a.releaseId },
  key: { role: 'id', of: (a) => a.keyId },
  traceId: { role: 'id', of: (a) => a.traceId },
  trace: { role: 'id', of: (a) => a.traceId },
  sessionId: { role: 'id', of: (a) => a.sessionId },
  queue: { role: 'id', of: (a) => a.queueId },
  item: { role: 'id', of: (a) => a.itemId },
  rule: { role: 'id', of: (a) => a.ruleId },
  monitor: { role: 'id', of: (a) => a.monitorId },
  alert: { role: 'id', of: (a) => a.alertId },
  webhook: { role: 'id', of: (a) => a.webhookId },
  delivery: { role: 'id', of: (a) => a.deliveryId },
  dataset: { role: 'name', of: (a) => a.dataset },
  metric: { role: 'name', of: (a) => a.metric },
  exampleId: { role: 'name', of: (a) => a.exampleId },
};

/** Query parameters given A's values (ids, or a project name for the operations that take one). */
export const QUERY_PARAMS: Readonly<Record<string, { role: Role | 'project'; of: (a: SeededProject) => string }>> = {
  project: { role: 'project', of: (a) => a.name },
  monitor: { role: 'id', of: (a) => a.monitorId },
  webhook: { role: 'id', of: (a) => a.webhookId },
  version: { role: 'name', of: (a) => a.versionHash },
  from: { role: 'name', of: (a) => a.versionHashes[0]! },
  to: { role: 'name', of: (a) => a.versionHashes[1]! },
  metric: { role: 'name', of: () => 'polite' },
  release: { role: 'name', of: (a) => a.variant },
  variant: { role: 'name', of: (a) => a.variant },
};

const RUBRIC = { labels: [{ label: 'good' }, { label: 'bad' }], pass: ['good'] };

/**
 * The body of each operation that has one, in B's project, naming A's things where the body can name
 * anything. `ids`: the ids of A the body carries (compared with unknown ones).
 */
export const BODIES: Readonly<Record<string, (a: SeededProject, b: SeededProject) => { body: unknown; ids?: readonly string[]; otherProject?: boolean }>> = {
  importDatasetVersion: () => ({ body: { examples: [{ id: 'probe', input: 'probe' }] } }),
  decideGate: (a) => ({ body: { policy: { rules: [{ metric: 'x', min: 0.5, action: 'block' }] }, candidate: a.runId }, ids: [a.runId] }),
  planGate: (a) => ({ body: { policy: { rules: [{ metric: a.metric, noRegression: true, perSlice: true, action: 'block' }] }, metrics: [{ name: a.metric }], dataset: { name: a.dataset } } }),
  overrideGateDecision: () => ({ body: { reason: 'probing another project', evidence: 'https://example.com/probe' } }),
  promoteRelease: () => ({ body: {} }),
  rollbackRelease: () => ({ body: { reason: 'probe' } }),
  nameRelease: () => ({ body: { name: 'probe-name' } }),
  setReleaseConfig: () => ({ body: { config: { data: { probe: true } } } }),
  createKey: (a) => ({ body: { role: 'admin', project: a.name, name: 'intruder' }, otherProject: true }),
  addTraceFeedback: () => ({ body: { kind: 'thumbs', value: 'down' } }),
  promoteTraces: (a) => ({ body: { dataset: 'probe-promoted', traceIds: [a.traceId] }, ids: [a.traceId] }),
  promoteSession: () => ({ body: { dataset: 'probe-promoted' } }),
  createReviewQueue: (a) => ({ body: { name: 'probe-queue', metric: a.metric, rubric: RUBRIC } }),
  addReviewItems: (a) => ({ body: { from: 'run', runId: a.runId, exampleIds: ['e1'] }, ids: [a.runId] }),
  labelReviewItem: () => ({ body: { label: 'good' } }),
  adjudicateReviewItem: () => ({ body: { label: 'bad' } }),
  promoteReviewItem: () => ({ body: { dataset: 'probe-reviewed' } }),
  attachJudgeVerdicts: (a) => ({ body: { verdicts: [{ itemId: a.itemId, verdict: { status: 'scored', label: 'bad', pass: false, reason: null, version: 'j9' } }] }, ids: [a.itemId] }),
  freezeGoldSet: (a) => ({ body: { metric: a.metric, queues: [a.queueId] }, ids: [a.queueId] }),
  recordCalibration: (a) => ({ body: { metric: a.metric, judgeVersion: 'j9', answers: [] } }),
  saveOnlineRule: () => ({ body: { rule: { name: 'probe-rule', sampleRate: 0, metrics: [{ name: 'polite', scorer: { type: 'icontains', value: 'please' } }] } } }),
  setOnlineRuleEnabled: () => ({ body: { enabled: false } }),
  saveMonitor: (a) => ({ body: { monitor: { name: 'probe-monitor', rule: a.ruleId, metric: 'polite' } }, ids: [a.ruleId] }),
  acknowledgeAlert: () => ({ body: { note: 'probe' } }),
  resolveAlert: () => ({ body: { note: 'probe' } }),
  pauseMonitor: () => ({ body: { reason: 'probe' } }),
  resumeMonitor: () => ({ body: {} }),
  saveRollbackRule: (a) => ({ body: { monitor: a.monitorId }, ids: [a.monitorId] }),
  createWebhook: () => ({ body: { url: 'http://127.0.0.1:9/probe', name: 'probe-hook' } }),
  triageTraces: () => ({ body: { filter: {} } }),
  getDatasetCoverage: () => ({ body: {} }),
  getDatasetStaleness: () => ({ body: {} }),
  promoteCluster: (a) => ({ body: { source: { kind: 'run', runId: a.runId }, cluster: 'c1', dataset: 'probe-cluster' }, ids: [a.runId] }),
  queueGeneratedItems: () => ({ body: { queue: 'probe-generated', candidates: [{ input: 'probe', rationale: 'probe' }], provenance: { model: 'probe:model', around: 'probe', slice: 'cluster:probe' } } }),
  commitGeneratedItems: () => ({ body: { dataset: 'probe-generated' } }),
  runPlayground: (a) => ({ body: { config: { model: { id: 'probe:model' }, prompts: { user: { template: 'probe {{input}}' } } }, traceId: a.traceId }, ids: [a.traceId] }),
};

/**
 * Requests beyond the one built from the document, mixing B's own ids with A's: the ends of a
 * binding, the two runs of a comparison, an item of A in a queue of B.
 */
export function mixedProbes(op: DocOperation, a: SeededProject, b: SeededProject): { label: string; params: Record<string, string>; body?: unknown; ids: readonly string[] }[] {
  switch (op.operationId) {
    case 'saveRollbackRule':
      return [
        { label: "B's release, A's monitor", params: { release: b.releaseId }, body: { monitor: a.monitorId }, ids: [a.monitorId] },
        { label: "A's release, B's monitor", params: { release: a.releaseId }, body: { monitor: b.monitorId }, ids: [a.releaseId] },
      ];
    case 'deleteRollbackRule':
      return [
        { label: "B's release, A's monitor", params: { release: b.releaseId, monitor: a.monitorId }, ids: [a.monitorId] },
        { label: "A's release, B's monitor", params: { release: a.releaseId, monitor: b.monitorId }, ids: [a.releaseId] },
      ];
    case 'compareRuns':
    case 'triageComparison':
    case 'listFlippedExamples':
    case 'getComparedExample':
    case 'listWorstTranscripts':
      return [
        { label: "B's baseline, A's candidate", params: { baselineRunId: b.runId, candidateRunId: a.runId }, ids: [a.runId] },
        { label: "A's baseline, B's candidate", params: { baselineRunId: a.baselineRunId, candidateRunId: b.runId }, ids: [a.baselineRunId] },
      ];
    case 'addReviewItems':
      return [
        { label: "B's queue, A's run", params: { queue: b.queueId }, body: { from: 'run', runId: a.runId, exampleIds: ['e1'] }, ids: [a.runId] },
        { label: "B's queue, A's trace", params: { queue: b.queueId }, body: { from: 'traces', traceIds: [a.traceId] }, ids: [a.traceId] },
      ];
    case 'labelReviewItem':
    case 'adjudicateReviewItem':
    case 'promoteReviewItem':
      return [{ label: "B's queue, A's item", params: { queue: b.queueId, item: a.itemId }, body: BODIES[op.operationId]!(a, b).body, ids: [a.itemId] }];
    case 'skipReviewItem':
    case 'releaseReviewItem':
      return [{ label: "B's queue, A's item", params: { queue: b.queueId, item: a.itemId }, ids: [a.itemId] }];
    case 'attachJudgeVerdicts':
      return [{ label: "B's queue, A's item", params: { queue: b.queueId }, body: BODIES[op.operationId]!(a, b).body, ids: [a.itemId] }];
    case 'freezeGoldSet':
      return [{ label: "A's queue for B's metric", params: {}, body: { metric: b.metric, queues: [a.queueId] }, ids: [a.queueId] }];
    case 'runPlayground':
      return [{ label: "A's dataset and example", params: {}, body: { config: { model: { id: 'probe:model' } }, dataset: a.dataset, exampleIds: [a.exampleId] }, ids: [] }];
    case 'promoteCluster':
      return [
        { label: "B's project, A's alert", params: {}, body: { source: { kind: 'alert', alertId: a.alertId }, cluster: 'c1', dataset: 'probe-cluster' }, ids: [a.alertId] },
        { label: "B's baseline, A's candidate", params: {}, body: { source: { kind: 'compare', baselineRunId: b.runId, candidateRunId: a.runId }, cluster: 'c1', dataset: 'probe-cluster' }, ids: [a.runId] },
      ];
    case 'decideGate':
      return [{ label: "B's candidate, A's baseline", params: {}, body: { policy: { rules: [{ metric: `${b.name}_exact`, min: 0.5, action: 'block' }] }, candidate: b.runId, baseline: a.baselineRunId }, ids: [a.baselineRunId] }];
    default:
      return [];
  }
}

/** An id of the same shape as `id` that names nothing. */
export function unknownLike(id: string): string {
  if (/^[0-9a-f]{32}$/.test(id)) return 'f0'.repeat(16);
  const under = id.indexOf('_');
  return under > 0 ? `${id.slice(0, under)}_${'z'.repeat(Math.max(8, id.length - under - 1))}` : `${id}-unknown`;
}

