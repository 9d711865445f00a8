/**
 * The harness of the stack tests (test/ingest/stacks/): a real `evalops serve` on loopback (its own
 * SQLite file, the embedded worker on), two project keys, and the few API calls every stack test
 * makes — run a fixture app that exports its traces over OTLP, read the trace back, score it with an
 * online rule, promote it into a dataset. `npm run build` first (the server is the built CLI).
 *
 * A fixture app is a TypeScript file run as its own Node process (`node --import tsx FILE`), so each
 * app's OpenTelemetry and instrumentation set-up is global to it alone, as in a real application.
 * It gets the standard OTLP exporter variables, which the OTel SDK exporters read by themselves:
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (the server's URL) and `OTEL_EXPORTER_OTLP_HEADERS`
 * (`authorization=Bearer <ingest key>`), plus `EVALOPS_URL` and `EVALOPS_API_KEY` for SDKs that take
 * an endpoint and headers as options, and whatever `extraEnv` adds (e.g. `OPENAI_BASE_URL` of the
 * scripted model server). It prints one JSON line on stdout (ids it wants checked), read back as
 * `output`.
 *
 * @example
 * const stack = await startStackHarness('ai-sdk');
 * await stack.putOnlineRule({ name: 'says-paris', settleSeconds: 1, metrics: [{ name: 'paris', scorer: { type: 'icontains', value: 'paris' } }] });
 * const app = await stack.runApp('test/fixtures/stacks/ai-sdk/generate-text.ts', { OPENAI_BASE_URL: model.url });
 * const trace = await stack.waitForTrace((t) => t.name === 'ai.generateText');
 * const scores = await stack.waitForOnlineScores(trace.summary.traceId);
 * const example = await stack.promote(trace.summary.traceId, 'from-prod');
 * await stack.stop();
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '../../src/core/span.js';
import type { TraceSummary } from '../../src/traces/trace-summary.js';
import { REPO, runNode } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from './serve-process.js';

/** A trace read back through the API: its list entry, its spans, and the notices the API gave. */
export interface StackTrace {
  readonly summary: TraceSummary;
  readonly spans: readonly Span[];
  /** The `notices` of the trace response (e.g. `{ kind: 'mapping', message }`); [] when none. */
  readonly notices: readonly { readonly kind: string; readonly message: string; readonly spanId?: string }[];
}

/** One online score of a trace, as `GET …/traces/{id}/online-scores` answers it. */
export interface StackScore {
  readonly metric: string;
  readonly pass: boolean;
  readonly value: number;
  readonly [key: string]: unknown;
}

export interface StackHarness {
  /** The server's base URL, e.g. http://127.0.0.1:41234 (OTLP at `${url}/v1/traces`). */
  readonly url: string;
  readonly project: string;
  /** An `ingest` key of the project (what an application exports with). */
  readonly ingestKey: string;
  /** An `owner` key of the project (rules, promotion, reads). */
  readonly ownerKey: string;
  /** The environment a fixture app gets (see the header), without `extraEnv`. */
  readonly appEnv: Readonly<Record<string, string>>;
  /** Runs a fixture app to its end; rejects with its stderr when it exits non-zero. `output` is its last stdout JSON line. */
  runApp(file: string, extraEnv?: Readonly<Record<string, string>>): Promise<{ readonly output: unknown; readonly stderr: string }>;
  /** `fetch` on the project's API with the owner key: `api('GET', '/traces')` → status and JSON body. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Polls the trace list (60 s) until a trace matches, then reads its spans; `minSpans` waits for the whole trace. */
  waitForTrace(match: (summary: TraceSummary) => boolean, minSpans?: number): Promise<StackTrace>;
  /** Creates or replaces an online rule (the body of `PUT …/online/rules`); create it before the app sends traces. */
  putOnlineRule(rule: Record<string, unknown>): Promise<void>;
  /** Polls (60 s) until some rule scored the trace; the scores of all rules. */
  waitForOnlineScores(traceId: string): Promise<StackScore[]>;
  /** Promotes one trace into `dataset` and returns the example it became. */
  promote(traceId: string, dataset: string): Promise<Record<string, any>>;
  /** The server's /metrics text (owner key). */
  metrics(): Promise<string>;
  stop(): void;
}

const DEADLINE_MS = 60_000;

/** Starts the server for one project and makes its keys. */
export async function startStackHarness(project: string): Promise<StackHarness> {
  const dir = mkdtempSync(join(tmpdir(), `evalops-stack-${project}-`));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'stack-test@example.com' };
  const serve: ServeProcess = await startServe(env);
  try {
    const ingestKey = await createKeyLocally(env, ['--role', 'ingest', '--project', project]);
    const ownerKey = await createKeyLocally(env, ['--role', 'owner', '--project', project]);
    return harnessOf(serve, project, ingestKey, ownerKey);
  } catch (e) {
    serve.stop();
    throw e;
  }
}

function harnessOf(serve: ServeProcess, project: string, ingestKey: string, ownerKey: string): StackHarness {
  const call = apiClient(serve.url);
  const api = (method: string, path: string, body?: unknown) => call(ownerKey, method, `/projects/${project}${path}`, body);
  const appEnv = {
    OTEL_EXPORTER_OTLP_ENDPOINT: serve.url,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${ingestKey}`,
    EVALOPS_URL: serve.url,
    EVALOPS_API_KEY: ingestKey,
  };
  const readTrace = async (summary: TraceSummary): Promise<StackTrace> => {
    const res = await api('GET', `/traces/${summary.traceId}`);
    if (res.status !== 200) throw new Error(`GET trace ${summary.traceId}: ${res.status} ${JSON.stringify(res.body)}`);
    return { summary, spans: res.body.spans as Span[], notices: res.body.notices ?? [] };
  };
  return {
    url: serve.url,
    project,
    ingestKey,
    ownerKey,
    appEnv,
    api,
    async runApp(file, extraEnv = {}) {
      const res = await runNode(['--import', 'tsx', join(REPO, file)], { env: { ...appEnv, ...extraEnv } });
      if (res.code !== 0) throw new Error(`${file} exited ${res.code}:\n${res.stderr}`);
      const last = res.stdout.trim().split('\n').filter(Boolean).pop();
      return { output: last === undefined ? undefined : (JSON.parse(last) as unknown), stderr: res.stderr };
    },
    async waitForTrace(match, minSpans = 1) {
      return poll(`a trace matching ${match.toString()}`, async () => {
        const res = await api('GET', '/traces?limit=100');
        const summary = (res.body?.traces as TraceSummary[] | undefined)?.find(match);
        return summary !== undefined && summary.spans >= minSpans ? readTrace(summary) : undefined;
      });
    },
    async putOnlineRule(rule) {
      const res = await api('PUT', '/online/rules', { rule });
      if (res.status !== 200 && res.status !== 201) throw new Error(`PUT online rule: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async waitForOnlineScores(traceId) {
      return poll(`online scores of ${traceId}`, async () => {
        const res = await api('GET', `/traces/${traceId}/online-scores`);
        const rules = (res.body?.rules ?? []) as { scores: StackScore[] }[];
        const scores = rules.flatMap((r) => r.scores);
        return scores.length > 0 ? scores : undefined;
      });
    },
    async promote(traceId, dataset) {
      const res = await api('POST', '/traces/promote', { traceIds: [traceId], dataset });
      if (res.status !== 201 && res.status !== 200) throw new Error(`promote: ${res.status} ${JSON.stringify(res.body)}`);
      const shown = await api('GET', `/datasets/${dataset}?limit=1000`);
      const example = (shown.body.examples as Record<string, any>[]).find((e) => e.id === `trace_${traceId}`);
      if (example === undefined) throw new Error(`trace ${traceId} is not among the examples of ${dataset}`);
      return example;
    },
    async metrics() {
      const res = await fetch(`${serve.url}/metrics`, { headers: { authorization: `Bearer ${ownerKey}` } });
      return res.text();
    },
    stop: () => serve.stop(),
  };
}

/** Calls `attempt` every 200 ms until it gives a value, for at most 60 s (a generous deadline, not a timing assumption). */
async function poll<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
