import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importModule } from '../../src/config/import-module.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Example } from '../../src/core/example.js';
import type { GateDecisionDocument } from '../../src/core/gate/gate-decision.js';
import { renderDecisionMarkdown } from '../../src/gate/report-markdown.js';
import { runEvaluation } from '../../src/runner/run-evaluation.js';
import type { CoverageReport } from '../../src/datasets/dataset-coverage.js';
import type { StalenessReport } from '../../src/datasets/dataset-staleness.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';

/**
 * `datasets coverage` end to end, once per database: the real OpenTelemetry SDK exports traces over
 * OTLP/HTTP protobuf to a real server; the coverage is read through the API.
 *
 * Dataset: intent:refund ×6, intent:billing ×2, every example lang:en. Production (k = 5):
 * 6 refund traces (lang en set on a child span through the configured attribute `app.lang`),
 * 3 billing traces (too few examples), 3 cancel traces (a slice seen only in production) and
 * 2 traces without slice attributes; 15 days earlier, 4 refund traces (staleness). Another project
 * sends cancel traces too: they must not count.
 */
export function coverageContract(label: string, open: () => Promise<Store>): void {
  describe(`dataset coverage of production traces (${label})`, () => {
    let store: Store;
    let server: RunningServer;
    const keys: Record<string, string> = {};
    const traceIds: Record<string, string[]> = { refund: [], billing: [], cancel: [], none: [] };

    beforeAll(async () => {
      store = await open();
      const project = await store.projects.ensure('cov');
      const other = await store.projects.ensure('cov-other');
      keys.ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
      keys.viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
      keys.engineer = (await store.apiKeys.create({ role: 'engineer', projectId: project.id, createdBy: 'test' })).plaintext;
      const quiet = await store.projects.ensure('cov-quiet');
      keys.quietEngineer = (await store.apiKeys.create({ role: 'engineer', projectId: quiet.id, createdBy: 'test' })).plaintext;
      keys.otherIngest = (await store.apiKeys.create({ role: 'ingest', projectId: other.id, createdBy: 'test' })).plaintext;
      keys.otherViewer = (await store.apiKeys.create({ role: 'viewer', projectId: other.id, createdBy: 'test' })).plaintext;
      const examples: Example[] = [
        ...Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, input: `refund ${i}`, metadata: {}, slices: ['intent:refund', 'lang:en'], source: 'manual' as const })),
        ...Array.from({ length: 2 }, (_, i) => ({ id: `b${i}`, input: `billing ${i}`, metadata: {}, slices: ['intent:billing', 'lang:en'], source: 'manual' as const })),
      ];
      await store.datasets.saveVersion(project.id, 'cases', 'covhash0001', examples);
      await store.datasets.saveVersion(other.id, 'cases', 'covhash0002', examples);
      server = await startServer({ store, port: 0, host: '127.0.0.1' });

      const send = async (key: string, plan: readonly [string, number][], record: boolean, daysAgo = 0): Promise<void> => {
        const provider = new BasicTracerProvider({
          resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
          spanProcessors: [new BatchSpanProcessor(new ProtoExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${key}` } }))],
        });
        const tracer = provider.getTracer('coverage-test');
        for (const [intent, count] of plan) {
          for (let i = 0; i < count; i++) {
            const startTime = Date.now() - daysAgo * 86_400_000;
            const root = tracer.startSpan('agent', { startTime, attributes: intent === 'none' ? { 'app.other': 'x' } : { 'evalops.slice.intent': intent } });
            const child = tracer.startSpan('llm', { startTime, attributes: { 'app.lang': 'en' } }, (await import('@opentelemetry/api')).trace.setSpan((await import('@opentelemetry/api')).context.active(), root));
            if (intent === 'none') child.setAttribute('app.lang', '');
            child.end(startTime + 5);
            root.end(startTime + 10);
            if (record) traceIds[intent]!.push(root.spanContext().traceId);
          }
        }
        await provider.forceFlush();
        await provider.shutdown();
      };
      await send(keys.ingest!, [['refund', 6], ['billing', 3], ['cancel', 3], ['none', 2]], true);
      await send(keys.otherIngest!, [['cancel', 5]], false);
      // Two weeks earlier, only refunds: outside every 7-day window above, inside the staleness weeks.
      await send(keys.ingest!, [['refund', 4]], false, 15);

      // Non-text values: a boolean and a number on the root (evalops.slice.*), a boolean on a child (configured).
      const typed = await store.projects.ensure('cov-typed');
      keys.typedIngest = (await store.apiKeys.create({ role: 'ingest', projectId: typed.id, createdBy: 'test' })).plaintext;
      keys.typedViewer = (await store.apiKeys.create({ role: 'viewer', projectId: typed.id, createdBy: 'test' })).plaintext;
      await store.datasets.saveVersion(typed.id, 'cases', 'covhash0004', Array.from({ length: 5 }, (_, i) => ({ id: `v${i}`, input: `vip ${i}`, metadata: {}, slices: ['vip:true', 'tier:2', 'beta:false'], source: 'manual' as const })));
      const api = await import('@opentelemetry/api');
      const typedProvider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
        spanProcessors: [new BatchSpanProcessor(new ProtoExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${keys.typedIngest}` } }))],
      });
      const typedTracer = typedProvider.getTracer('coverage-test');
      for (let i = 0; i < 4; i++) {
        const root = typedTracer.startSpan('agent', { attributes: { 'evalops.slice.vip': true, 'evalops.slice.tier': 2 } });
        typedTracer.startSpan('llm', { attributes: { 'app.beta': false } }, api.trace.setSpan(api.context.active(), root)).end();
        root.end();
      }
      await typedProvider.forceFlush();
      await typedProvider.shutdown();
      // The 2xx of an export is sent after the spans are committed; still, wait for them all.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const n = await store.db.selectFrom('spans').select((eb) => eb.fn.countAll<number | string>().as('n')).where('project_id', '=', project.id).executeTakeFirst();
        const typedSpans = await store.db.selectFrom('spans').innerJoin('projects', 'projects.id', 'spans.project_id').select((eb) => eb.fn.countAll<number | string>().as('n')).where('projects.name', '=', 'cov-typed').executeTakeFirst();
        if (Number(n?.n) >= 36 && Number(typedSpans?.n) >= 8) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    const coverage = async (project: string, body: unknown, key = keys.viewer!): Promise<{ status: number; json: unknown }> => {
      const res = await fetch(`${server.url}/api/v1/projects/${project}/datasets/cases/coverage`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    };

    it('measures the share of traffic in slices with too few examples, with the uncovered slices, their traces and the promote command', async () => {
      const { status, json } = await coverage('cov', { attributes: { lang: 'app.lang' }, minExamples: 5, days: 7 });
      expect(status).toBe(200);
      const r = json as CoverageReport;
      expect(r).toMatchObject({ traces: 14, sliced: 12, covered: 6, coveredShare: 0.5, uncoveredShare: 0.5 });
      expect(r.uncovered.map((s) => [s.slice, s.traces, s.examples])).toEqual([
        ['intent:billing', 3, 2],
        ['intent:cancel', 3, 0],
      ]);
      const cancel = r.uncovered.find((s) => s.slice === 'intent:cancel')!;
      expect(cancel.exampleTraceIds.length).toBeGreaterThan(0);
      for (const id of cancel.exampleTraceIds) expect(traceIds.cancel).toContain(id);
      expect(r.promote.find((p) => p.slice === 'intent:cancel')?.command).toMatch(new RegExp(`^evalops traces promote ${cancel.exampleTraceIds.join(' ')} --dataset cases$`));
      const en = r.slices.find((s) => s.slice === 'lang:en')!;
      expect(en).toMatchObject({ traces: 12, examples: 8, covered: true });
      expect(en.trend.at(-1)?.share).toBe(1);
      expect(r.slices.find((s) => s.slice === 'intent:refund')?.newestExampleAt).not.toBeNull();
    });

    it('without the configured attribute, lang comes from nowhere: only evalops.slice.* is read', async () => {
      const r = (await coverage('cov', { minExamples: 5 })).json as CoverageReport;
      expect(r.slices.find((s) => s.slice === 'lang:en')?.traces).toBe(0);
      expect(r).toMatchObject({ sliced: 12, covered: 6 });
    });

    it('reads a boolean as "true"/"false" and a number as its digits, from evalops.slice.* and from a configured attribute alike', async () => {
      const { status, json } = await coverage('cov-typed', { attributes: { beta: 'app.beta' }, minExamples: 5 }, keys.typedViewer);
      expect(status).toBe(200);
      const r = json as CoverageReport;
      expect(r).toMatchObject({ traces: 4, sliced: 4, covered: 4, coveredShare: 1 });
      expect(r.slices.filter((s) => s.traces > 0).map((s) => [s.slice, s.traces, s.examples]).sort()).toEqual([
        ['beta:false', 4, 5],
        ['tier:2', 4, 5],
        ['vip:true', 4, 5],
      ]);
    });

    it('by clusters: traces that ask what no example asks form an uncovered cluster, with its traces and the promote command; another project\'s traces do not count', async () => {
      const refund = (i: number): string => [`I want a refund for order ${i}`, `please refund my order ${i}, it arrived broken`, `refund request for the damaged order ${i}`][i % 3] as string;
      const cancel = (i: number): string => [`how do I cancel my subscription plan`, `cancel the subscription before it renews (${i})`, `stop my subscription plan renewal ${i}`][i % 3] as string;
      const project = await store.projects.ensure('cov-clusters');
      const other = await store.projects.ensure('cov-clusters-other');
      const ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
      const otherIngest = (await store.apiKeys.create({ role: 'ingest', projectId: other.id, createdBy: 'test' })).plaintext;
      const viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
      await store.datasets.saveVersion(project.id, 'cases', 'covclus0001', Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, input: [{ role: 'user', content: refund(i + 20) }], metadata: {}, slices: [], source: 'manual' as const })));
      const sent: Record<string, string[]> = { refund: [], cancel: [] };
      const send = async (key: string, texts: readonly [string, string][]): Promise<void> => {
        const provider = new BasicTracerProvider({
          resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
          spanProcessors: [new BatchSpanProcessor(new ProtoExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${key}` } }))],
        });
        const tracer = provider.getTracer('coverage-clusters-test');
        for (const [kind, text] of texts) {
          const root = tracer.startSpan('agent', { attributes: { 'openinference.span.kind': 'AGENT', 'input.value': text, 'output.value': 'ok' } });
          root.end();
          if (key === ingest) sent[kind]!.push(root.spanContext().traceId);
        }
        await provider.forceFlush();
        await provider.shutdown();
      };
      await send(ingest, [...Array.from({ length: 9 }, (_, i) => ['refund', refund(i)] as [string, string]), ...Array.from({ length: 6 }, (_, i) => ['cancel', cancel(i)] as [string, string])]);
      await send(otherIngest, Array.from({ length: 12 }, (_, i) => ['cancel', cancel(i)] as [string, string]));
      await expect.poll(async () => store.spans.count(project.id)).toBe(15);

      const res = await fetch(`${server.url}/api/v1/projects/cov-clusters/datasets/cases/coverage`, { method: 'POST', headers: { Authorization: `Bearer ${viewer}`, 'content-type': 'application/json' }, body: JSON.stringify({ minExamples: 5, clusters: {} }) });
      expect(res.status).toBe(200);
      const r = (await res.json()) as CoverageReport;
      const c = r.clusters!;
      expect(c).toMatchObject({ method: 'tfidf', sampled: 15, windowTraces: 15 });
      const cancelCluster = c.clusters.find((x) => x.exampleTraceIds.some((id) => sent.cancel!.includes(id)))!;
      expect(cancelCluster).toMatchObject({ traffic: 6, examples: 0, covered: false });
      expect(cancelCluster.name).toMatch(/subscription|cancel/);
      for (const id of cancelCluster.exampleTraceIds) expect(sent.cancel).toContain(id);
      expect(c.clusters.find((x) => x.exampleTraceIds.some((id) => sent.refund!.includes(id)))).toMatchObject({ traffic: 9, examples: 6, covered: true });
      expect(c.coveredShare).toBeCloseTo(9 / 15, 12);
      expect(c.promote.find((p) => p.cluster === cancelCluster.id)?.command).toBe(`evalops traces promote ${cancelCluster.exampleTraceIds.join(' ')} --dataset cases`);

      for (const maxTraces of [5, 5_001]) {
        const bad = await fetch(`${server.url}/api/v1/projects/cov-clusters/datasets/cases/coverage`, { method: 'POST', headers: { Authorization: `Bearer ${viewer}`, 'content-type': 'application/json' }, body: JSON.stringify({ clusters: { maxTraces } }) });
        expect(bad.status).toBe(400);
        expect(await bad.text()).toMatch(/clusters\.maxTraces/);
      }

      // A dataset larger than the clustering bound: an even sample is clustered and its counts scaled.
      await store.datasets.saveVersion(project.id, 'big', 'covclus0002', Array.from({ length: 10_001 }, (_, i) => ({ id: `b${String(i).padStart(5, '0')}`, input: refund(i), metadata: {}, slices: [], source: 'manual' as const })));
      const big = await fetch(`${server.url}/api/v1/projects/cov-clusters/datasets/big/coverage`, { method: 'POST', headers: { Authorization: `Bearer ${viewer}`, 'content-type': 'application/json' }, body: JSON.stringify({ minExamples: 5, clusters: {} }) });
      expect(big.status).toBe(200);
      const b = (await big.json()) as CoverageReport;
      expect(b.notes.join('\n')).toMatch(/3,?334 of the dataset's 10,?001 examples were clustered \(one in 3\); their counts are scaled by 3/);
      const refundBig = b.clusters!.clusters.find((x) => x.exampleTraceIds.some((id) => sent.refund!.includes(id)))!;
      expect(refundBig.examples % 3).toBe(0);
      expect(refundBig.examples).toBeGreaterThan(0);
      expect(b.clusters!.clusters.reduce((n, x) => n + x.examples, 0)).toBe(3 * 3_334);
    });

    it('refuses a configured slice key the dataset does not have, naming the field (4xx, not 500)', async () => {
      const { status, json } = await coverage('cov', { attributes: { region: 'app.region' } });
      expect(status).toBe(400);
      expect(JSON.stringify(json)).toMatch(/coverage\.attributes\.region/);
    });

    it("counts only the project's own traces; another project's key reads only its own", async () => {
      const mine = (await coverage('cov', {})).json as CoverageReport;
      expect(mine.traces).toBe(14);
      const theirs = (await coverage('cov-other', {}, keys.otherViewer)).json as CoverageReport;
      expect(theirs).toMatchObject({ traces: 5, sliced: 5, covered: 0 });
      const crossed = await coverage('cov', {}, keys.otherViewer);
      expect(crossed.status).toBeGreaterThanOrEqual(400);
      expect(crossed.status).toBeLessThan(500);
    });

    it('a window with no traces says so', async () => {
      const r = (await coverage('cov', { days: 1, version: 'covhash' })).json as CoverageReport;
      expect(r.traces).toBe(14); // the spans were just sent: inside a one-day window
      const project = await store.projects.findByName('cov');
      await store.datasets.saveVersion(project!.id, 'empty-window', 'covhash0003', [{ id: 'x', input: 'x', metadata: {}, slices: ['intent:refund'], source: 'manual' }]);
      const { datasetCoverage } = await import('../../src/datasets/dataset-coverage.js');
      const later = await datasetCoverage(store, 'cov', 'empty-window', { attributes: {}, minExamples: 5, days: 1, top: 10 }, Date.now() + 3 * 86_400_000);
      expect(later.traces).toBe(0);
      expect(later.coveredShare).toBeNull();
      expect(later.notes[0]).toMatch(/^no traces between/);
    });

    /** A run of the same dataset (intent:refund ×6, intent:billing ×2, all lang:en) in `project`, made by the runner. */
    const runOf = async (project: string): Promise<string> => {
      const dir = mkdtempSync(join(tmpdir(), 'evalops-cov-gate-'));
      const rows = [...Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, input: `refund ${i}`, slices: ['intent:refund', 'lang:en'] })), ...Array.from({ length: 2 }, (_, i) => ({ id: `b${i}`, input: `billing ${i}`, slices: ['intent:billing', 'lang:en'] }))];
      writeFileSync(join(dir, 'cases.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
      writeFileSync(join(dir, 'agent.mjs'), 'export default async () => "ANSWER";\n');
      writeFileSync(join(dir, 'evalops.yaml'), ['version: 1', `project: ${project}`, 'target: { type: module, path: ./agent.mjs }', 'dataset: { name: cases, path: ./cases.jsonl }', 'metrics:', '  - { name: answer, owner: qa@example.com, scorer: { type: contains, value: ANSWER } }', 'run: { cache: false }', ''].join('\n'));
      const run = await runEvaluation(await loadConfig(join(dir, 'evalops.yaml')), {}, { store, env: {}, importModule });
      return run.summary.runId;
    };
    const decide = async (project: string, key: string, body: unknown): Promise<{ status: number; json: unknown }> => {
      const res = await fetch(`${server.url}/api/v1/projects/${project}/gate-decisions`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    };

    it('a minCoverage rule gates on the share of the window\'s traffic the candidate dataset covers, and the decision shows it', async () => {
      const candidate = await runOf('cov');
      const { status, json } = await decide('cov', keys.engineer!, {
        candidate,
        policy: { rules: [{ metric: 'answer', min: 0.5, action: 'block' }, { minCoverage: 0.8, action: 'require_approval' }, { minCoverage: 0.4, days: 3, action: 'block' }] },
        coverage: { attributes: { lang: 'app.lang' }, minExamples: 5 },
      });
      expect(status).toBe(201);
      const d = json as GateDecisionDocument;
      expect(d.outcome).toBe('require_approval');
      const coverage = d.findings.filter((f) => f.condition === 'minCoverage');
      expect(coverage.map((f) => [f.rule, f.status, f.evidence.value, f.evidence.coverage?.days])).toEqual([
        [1, 'failed', 0.5, 7],
        [2, 'passed', 0.5, 3],
      ]);
      // billing has 2 examples (< 5) and cancel none: the 6 uncovered of 12 sliced traces.
      expect(coverage[0]!.message).toMatch(/dataset covers 50\.0% of the last 7 days' traffic \(6 of 12 sliced traces\), below min 80\.0%; most uncovered: intent:(billing|cancel) 25\.0%/);
      expect(d.coverage?.map((m) => [m.days, m.traces, m.sliced, m.coveredShare])).toEqual([
        [3, 14, 12, 0.5],
        [7, 14, 12, 0.5],
      ]);
      expect(d.coverage?.[1]?.uncovered.map((u) => u.slice).sort()).toEqual(['intent:billing', 'intent:cancel']);
      expect(renderDecisionMarkdown(d)).toContain("**Coverage of production:** dataset covers 50.0% of the last 7 days' traffic");
      // The stored decision keeps it.
      const stored = await fetch(`${server.url}/api/v1/gate-decisions/${d.decisionId}`, { headers: { Authorization: `Bearer ${keys.engineer}` } });
      expect(((await stored.json()) as GateDecisionDocument).coverage?.[1]?.coveredShare).toBe(0.5);
    });

    it('a project without production traffic: the minCoverage rule says so and a blocking one requires approval', async () => {
      const candidate = await runOf('cov-quiet');
      const { status, json } = await decide('cov-quiet', keys.quietEngineer!, { candidate, policy: { rules: [{ metric: 'answer', min: 0.5, action: 'block' }, { minCoverage: 0.8, action: 'block' }] } });
      expect(status).toBe(201);
      const d = json as GateDecisionDocument;
      expect(d.outcome).toBe('require_approval');
      expect(d.findings.find((f) => f.condition === 'minCoverage')).toMatchObject({ status: 'not_evaluated', action: 'require_approval' });
      expect(d.warnings.join('\n')).toMatch(/no production traffic in the last 7 days/);
      expect(d.coverage).toEqual([expect.objectContaining({ days: 7, traces: 0, coveredShare: null })]);
      expect(renderDecisionMarkdown(d)).not.toContain('Coverage of production');
    });

    it('refuses a broken minCoverage rule with a 400 naming the field', async () => {
      const { status, json } = await decide('cov', keys.engineer!, { policy: { rules: [{ minCoverage: 1.5, action: 'block' }] } });
      expect(status).toBe(400);
      expect(JSON.stringify(json)).toMatch(/minCoverage/);
    });

    it("shows each slice's newest example and weekly share of production, a slice seen only in production rising first", async () => {
      const res = await fetch(`${server.url}/api/v1/projects/cov/datasets/cases/staleness`, { method: 'POST', headers: { Authorization: `Bearer ${keys.viewer}`, 'content-type': 'application/json' }, body: JSON.stringify({ attributes: { lang: 'app.lang' }, minExamples: 5, version: 'covhash0001' }) });
      expect(res.status).toBe(200);
      const r = (await res.json()) as StalenessReport;
      expect(r.weeks.map((w) => [w.traces, w.sliced])).toEqual([
        [0, 0],
        [4, 4],
        [0, 0],
        [14, 12],
      ]);
      const row = (slice: string) => r.slices.find((s) => s.slice === slice)!;
      expect(row('intent:refund')).toMatchObject({ examples: 6, covered: true, weekly: [null, 1, null, 0.5], drift: 'falling', newestExampleAgeDays: 0 });
      expect(row('intent:cancel')).toMatchObject({ examples: 0, covered: false, weekly: [null, 0, null, 0.25], drift: 'rising', newestExampleAt: null });
      expect(row('intent:billing')).toMatchObject({ examples: 2, covered: false, drift: 'rising' });
      expect(r.slices.slice(0, 2).map((s) => s.slice).sort()).toEqual(['intent:billing', 'intent:cancel']);
      // Another project's key: as if the dataset did not exist.
      const crossed = await fetch(`${server.url}/api/v1/projects/cov/datasets/cases/staleness`, { method: 'POST', headers: { Authorization: `Bearer ${keys.otherViewer}`, 'content-type': 'application/json' }, body: '{}' });
      expect(crossed.status).toBeGreaterThanOrEqual(400);
      expect(crossed.status).toBeLessThan(500);
    });
  });
}
