import { expect } from 'vitest';
import { openAlert } from '../../src/monitor/open-alert.js';
import { openJobQueue } from '../../src/online/open-job-queue.js';
import type { Store } from '../../src/store/store.js';

/**
 * One project with one of everything, made through the real API (and the store where the API has no
 * door: runs are written by the runner, alerts by the monitor worker): a dataset, two completed runs,
 * a gate decision, a live release with a rollback rule, an online rule, a monitor, an alert, a
 * review queue with labelled items, a gold set, a calibration, a trace with a session and feedback,
 * a webhook with a delivery, and a second key. Every name carries the project's name, so a name of
 * one project is unknown in the other; the marker is in the data a leak would show.
 */
export interface SeededProject {
  readonly name: string;
  readonly projectId: string;
  readonly admin: string;
  readonly marker: string;
  readonly dataset: string;
  readonly versionHash: string;
  readonly versionHashes: readonly string[];
  readonly exampleId: string;
  readonly baselineRunId: string;
  readonly runId: string;
  readonly decisionId: string;
  readonly releaseId: string;
  readonly variant: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly monitorId: string;
  readonly monitorName: string;
  readonly alertId: string;
  readonly metric: string;
  readonly queueId: string;
  readonly queueName: string;
  readonly itemId: string;
  readonly goldSetId: string;
  readonly calibrationId: string;
  readonly traceId: string;
  readonly sessionId: string;
  readonly webhookId: string;
  readonly deliveryId: string;
  readonly keyId: string;
  readonly keyPrefix: string;
  readonly rollbackRuleId: string;
}

export type Call = (key: string, method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export function apiOf(url: string): Call {
  return async (key, method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body: parsed };
  };
}

const ok = async (p: Promise<{ status: number; body: any }>, what: string): Promise<any> => {
  const res = await p;
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
};

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const ns = (ms: number): string => `${BigInt(Math.round(ms)) * 1_000_000n}`;

export async function seedProject(store: Store, url: string, name: string, hex: string): Promise<SeededProject> {
  const call = apiOf(url);
  const marker = `${name.toUpperCase()}-PRIVATE-${hex.repeat(4)}`;
  const project = await store.projects.ensure(name);
  const admin = (await store.apiKeys.create({ role: 'admin', projectId: project.id, name: `admin@${name}.example`, createdBy: 'seed' })).plaintext;
  const api = (method: string, path: string, body?: unknown) => ok(call(admin, method, `/api/v1${path}`, body), `${name} ${method} ${path}`);

  // A dataset (two versions, for the diff) and two completed runs of its newest version.
  const dataset = `${name}-cases`;
  const examples = [
    { id: 'e1', input: `${marker} question one`, expected: 'yes', slices: ['lang:en'] },
    { id: 'e2', input: `${marker} question two`, expected: 'no', slices: ['lang:es'] },
  ];
  const v1 = await api('POST', `/projects/${name}/datasets/${dataset}/versions`, { examples: examples.slice(0, 1) });
  const v2 = await api('POST', `/projects/${name}/datasets/${dataset}/versions`, { examples });
  const version = await store.datasets.getVersion(project.id, dataset, v2.version);
  const metric = `${name}_judge`;
  const exact = `${name}_exact`;
  const runOf = async (variant: string): Promise<string> => {
    const run = await store.runs.create({
      projectId: project.id,
      datasetVersionId: version.id,
      targetType: 'module',
      targetVariant: variant,
      metrics: [
        { name: exact, scorerType: 'exact', scorerVersion: 'x1' },
        { name: metric, scorerType: 'judge', scorerVersion: 'j1' },
      ],
      labels: {},
      repeat: 1,
    });
    await store.runs.appendResults(
      run.id,
      examples.map((e) => ({
        exampleId: e.id,
        trial: 0,
        output: `${marker} answer to ${e.id}`,
        toolCalls: [],
        latencyMs: 100,
        cached: false,
        attempts: 1,
        scores: {
          [exact]: { status: 'scored' as const, value: 1, pass: true, scorerVersion: 'x1' },
          [metric]: { status: 'scored' as const, value: 1, pass: true, label: 'good', scorerVersion: 'j1' },
        },
      })),
    );
    await store.runs.finish(run.id, 'completed', null);
    return run.id;
  };
  const baselineRunId = await runOf(`${name}-v1`);
  const runId = await runOf(`${name}-v2`);

  // A gate decision approving the candidate, and its release taken live.
  const decision = await api('POST', `/projects/${name}/gate-decisions`, { policy: { baseline: baselineRunId, rules: [{ metric: exact, min: 0.5, action: 'block' }] }, candidate: runId });
  const variant = `${name}-v2`;
  const release = await store.releases.findByVariant(project.id, variant);
  if (!release) throw new Error(`no release for ${variant}`);
  await api('POST', `/releases/${release.id}/promote?project=${name}`, {});

  // A trace in a session, with feedback.
  const traceId = hex.repeat(32);
  const sessionId = `${name}-session`;
  const now = Date.now();
  const otlp = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: hex.repeat(16),
                  name: `${name}-agent`,
                  kind: 2,
                  startTimeUnixNano: ns(now - 60_000),
                  endTimeUnixNano: ns(now - 59_000),
                  attributes: [attr('openinference.span.kind', 'AGENT'), attr('input.value', `${marker} please help`), attr('output.value', `${marker} answer`), attr('session.id', sessionId), attr('service.version', variant)],
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(otlp.status).toBe(200);
  for (let i = 0; ; i++) {
    const res = await call(admin, 'GET', `/api/v1/projects/${name}/traces/${traceId}`);
    if (res.status === 200) break;
    if (i > 400) throw new Error(`trace ${traceId} never became visible`);
    await new Promise((r) => setTimeout(r, 25));
  }
  await api('POST', `/projects/${name}/traces/${traceId}/feedback`, { kind: 'thumbs', value: 'down' });

  // An online rule, a monitor on it, and an alert of that rule.
  const ruleName = `${name}-rule`;
  const rule = await api('PUT', `/projects/${name}/online/rules`, { rule: { name: ruleName, sampleRate: 1, metrics: [{ name: 'polite', scorer: { type: 'icontains', value: 'please' } }] } });
  const monitorName = `${name}-monitor`;
  // It watches the live release's traffic, so its rollback rule may move that release.
  const monitor = await api('PUT', `/projects/${name}/monitors`, { monitor: { name: monitorName, rule: ruleName, metric: 'polite', release: variant } });
  const { alert } = await openAlert(store, {
    projectId: project.id,
    monitorId: null,
    ruleId: rule.id,
    kind: 'budget',
    dedupeKey: `${name}-budget`,
    severity: 'warning',
    title: `${marker} budget spent`,
    evidence: { rule: ruleName, day: '2026-01-01', spentUsd: 1, budgetUsdPerDay: 1, effect: 'sampling paused', at: new Date(now).toISOString() },
  });

  // A dead-lettered scoring job of the rule, its error naming the trace (what the jobs page shows).
  const jobs = openJobQueue(store, { retryLimit: 0, retryDelaySeconds: 1 });
  try {
    await jobs.send([{ key: `${rule.id}:${traceId}`, data: { ruleId: rule.id, traceId, sampled: true, flags: [] } }]);
    await jobs.work(async () => {
      throw new Error(`${marker} judge unreachable for ${traceId}`);
    }, { pollMs: 50 });
    for (let i = 0; (await jobs.failed(10, { ruleIds: [rule.id] })).length === 0; i++) {
      if (i > 400) throw new Error('the scoring job never failed');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await jobs.stop();
  }

  // The rollback rule binding the monitor to the live release.
  const rollbackRule = await api('PUT', `/projects/${name}/releases/${release.id}/rollback-rules`, { monitor: monitor.id });

  // A review queue with both results, labelled; a gold set frozen from it, and a calibration on it.
  const queueName = `${name}-queue`;
  const queue = await api('POST', `/projects/${name}/review/queues`, { name: queueName, metric, rubric: { labels: [{ label: 'good' }, { label: 'bad' }], pass: ['good'] } });
  await api('POST', `/projects/${name}/review/queues/${queue.id}/items`, { from: 'run', runId, exampleIds: ['e1', 'e2'] });
  let itemId = '';
  for (;;) {
    const next = await api('POST', `/projects/${name}/review/queues/${queue.id}/next`);
    if (next.item === null) break;
    itemId ||= next.item.id;
    await api('POST', `/projects/${name}/review/queues/${queue.id}/items/${next.item.id}/labels`, { label: 'good' });
  }
  const gold = await api('POST', `/projects/${name}/gold-sets`, { metric, queues: [queue.id] });
  const goldSet = await api('GET', `/projects/${name}/gold-sets/${metric}`);
  const keys = (await store.goldSets.items(goldSet.id)).map((i) => i.key);
  const calibration = await api('POST', `/projects/${name}/calibrations`, {
    metric,
    judgeVersion: 'j1',
    answers: keys.map((key) => ({ key, status: 'scored', label: 'good', reason: null })),
    thresholds: { minKappa: 0.6, minItems: 1 },
  });

  // A webhook (to a closed loopback port: the ping fails and is kept as a delivery) and a key.
  const webhook = await api('POST', `/projects/${name}/webhooks`, { url: 'http://127.0.0.1:9/hook', name: `${name}-hook` });
  const sent = await api('POST', `/projects/${name}/webhooks/${webhook.id}/test`);
  const key = await api('POST', '/keys', { role: 'viewer', project: name, name: `viewer@${name}.example` });

  return {
    name,
    projectId: project.id,
    admin,
    marker,
    dataset,
    versionHash: v2.version,
    versionHashes: [v1.version, v2.version],
    exampleId: 'e1',
    baselineRunId,
    runId,
    decisionId: decision.decisionId,
    releaseId: release.id,
    variant,
    ruleId: rule.id,
    ruleName,
    monitorId: monitor.id,
    monitorName,
    alertId: alert.id,
    metric,
    queueId: queue.id,
    queueName,
    itemId,
    goldSetId: gold.id ?? goldSet.id,
    calibrationId: calibration.id,
    traceId,
    sessionId,
    webhookId: webhook.id,
    deliveryId: sent.delivery.id,
    keyId: key.id,
    keyPrefix: key.prefix,
    rollbackRuleId: rollbackRule.id,
  };
}
