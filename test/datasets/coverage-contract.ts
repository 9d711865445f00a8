import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/example.js';
import type { CoverageReport } from '../../src/datasets/dataset-coverage.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';

/**
 * `datasets coverage` end to end, once per database: the real OpenTelemetry SDK exports traces over
 * OTLP/HTTP protobuf to a real server; the coverage is read through the API.
 *
 * Dataset: intent:refund ×6, intent:billing ×2, every example lang:en. Production (k = 5):
 * 6 refund traces (lang en set on a child span through the configured attribute `app.lang`),
 * 3 billing traces (too few examples), 3 cancel traces (a slice seen only in production) and
 * 2 traces without slice attributes. Another project sends cancel traces too: they must not count.
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
      keys.otherIngest = (await store.apiKeys.create({ role: 'ingest', projectId: other.id, createdBy: 'test' })).plaintext;
      keys.otherViewer = (await store.apiKeys.create({ role: 'viewer', projectId: other.id, createdBy: 'test' })).plaintext;
      const examples: Example[] = [
        ...Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, input: `refund ${i}`, metadata: {}, slices: ['intent:refund', 'lang:en'], source: 'manual' as const })),
        ...Array.from({ length: 2 }, (_, i) => ({ id: `b${i}`, input: `billing ${i}`, metadata: {}, slices: ['intent:billing', 'lang:en'], source: 'manual' as const })),
      ];
      await store.datasets.saveVersion(project.id, 'cases', 'covhash0001', examples);
      await store.datasets.saveVersion(other.id, 'cases', 'covhash0002', examples);
      server = await startServer({ store, port: 0, host: '127.0.0.1' });

      const send = async (key: string, plan: readonly [string, number][], record: boolean): Promise<void> => {
        const provider = new BasicTracerProvider({
          resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
          spanProcessors: [new BatchSpanProcessor(new ProtoExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${key}` } }))],
        });
        const tracer = provider.getTracer('coverage-test');
        for (const [intent, count] of plan) {
          for (let i = 0; i < count; i++) {
            const root = tracer.startSpan('agent', { attributes: intent === 'none' ? { 'app.other': 'x' } : { 'evalops.slice.intent': intent } });
            const child = tracer.startSpan('llm', { attributes: { 'app.lang': 'en' } }, (await import('@opentelemetry/api')).trace.setSpan((await import('@opentelemetry/api')).context.active(), root));
            if (intent === 'none') child.setAttribute('app.lang', '');
            child.end();
            root.end();
            if (record) traceIds[intent]!.push(root.spanContext().traceId);
          }
        }
        await provider.forceFlush();
        await provider.shutdown();
      };
      await send(keys.ingest!, [['refund', 6], ['billing', 3], ['cancel', 3], ['none', 2]], true);
      await send(keys.otherIngest!, [['cancel', 5]], false);

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
        if (Number(n?.n) >= 28 && Number(typedSpans?.n) >= 8) break;
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
  });
}
