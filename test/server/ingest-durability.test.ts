import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../cli/run-cli.js';
import { tempFiles, type TempFiles } from '../support/temp-files.js';

/**
 * Kill -9 during sustained ingest: `evalops serve` (the built CLI) on a SQLite file takes OTLP/JSON
 * batches with unique ids from concurrent senders, is SIGKILLed while requests are in flight, and is
 * restarted on the same file. Every span that got a 2xx must be there, read back through the API;
 * a batch in flight at the kill is stored whole or not at all (one transaction per group commit).
 */

const SENDERS = 4;
const SPANS_PER_BATCH = 64;
/** Acknowledged batches to wait for before the kill. */
const ACKS_BEFORE_KILL = 60;
const PROJECT = 'durability';

interface Serve {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServe(env: Record<string, string>): Promise<Serve> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
      if (m) resolve({ child, url: m[0], stderr: () => stderr, exited });
    });
    void exited.then(({ code, signal }) => reject(new Error(`evalops serve exited (${code ?? signal}) before listening: ${stderr}`)));
  });
}

/** One OTLP/JSON request: a trace of `SPANS_PER_BATCH` LLM spans under a root, ids unique to `traceId`. */
function batch(traceId: string): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: SPANS_PER_BATCH }, (_, i) => ({
    traceId,
    spanId: spanIdOf(i),
    ...(i === 0 ? {} : { parentSpanId: spanIdOf(0) }),
    name: i === 0 ? 'agent' : 'ChatCompletion',
    kind: 3,
    startTimeUnixNano: String(now - 5_000_000n + BigInt(i)),
    endTimeUnixNano: String(now),
    attributes: [
      { key: 'openinference.span.kind', value: { stringValue: i === 0 ? 'AGENT' : 'LLM' } },
      { key: 'llm.model_name', value: { stringValue: 'gpt-4.1-mini' } },
      { key: 'llm.input_messages.0.message.role', value: { stringValue: 'user' } },
      { key: 'llm.input_messages.0.message.content', value: { stringValue: `question ${i} of trace ${traceId}` } },
      { key: 'llm.token_count.prompt', value: { intValue: String(100 + i) } },
    ],
  }));
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'durability-test' } }] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] });
}

function spanIdOf(index: number): string {
  return (index + 1).toString(16).padStart(16, '0');
}

describe('kill -9 of evalops serve during sustained OTLP ingest', () => {
  let files: TempFiles;
  let env: Record<string, string>;
  let first: Serve;
  let second: Serve | undefined;
  const acknowledged: string[] = [];
  const unanswered: string[] = [];
  let inFlightAtKill = 0;
  let firstStartPrintedKey = false;
  let viewerKey = '';

  beforeAll(async () => {
    files = await tempFiles();
    env = { EVALOPS_DATABASE_URL: `sqlite:${files.dir}/evalops.db`, EVALOPS_ACTOR: 'ops@example.com' };
    first = await startServe(env);
    firstStartPrintedKey = /shown only this once/.test(first.stderr());
    const ingest = await runCli(['keys', 'create', '--role', 'ingest', '--project', PROJECT, '--json'], { env });
    expect(ingest.code, ingest.stderr).toBe(0);
    const viewer = await runCli(['keys', 'create', '--role', 'viewer', '--project', PROJECT, '--json'], { env });
    expect(viewer.code, viewer.stderr).toBe(0);
    const ingestKey = JSON.parse(ingest.stdout).secret as string;
    viewerKey = JSON.parse(viewer.stdout).secret as string;

    // Closed-loop senders: each sends its next batch as soon as the previous one is answered.
    const nonce = randomBytes(8).toString('hex');
    let seq = 0;
    let inFlight = 0;
    let killed = false;
    let reachedTarget: () => void = () => undefined;
    const target = new Promise<void>((resolve) => (reachedTarget = resolve));
    const sender = async (): Promise<void> => {
      while (!killed) {
        const traceId = `${nonce}${(++seq).toString(16).padStart(16, '0')}`;
        inFlight++;
        try {
          const res = await fetch(`${first.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' }, body: batch(traceId) });
          const answer = (await res.json()) as { partialSuccess?: { rejectedSpans?: string } };
          if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(answer)}`);
          expect(answer.partialSuccess?.rejectedSpans ?? '0').toBe('0');
          acknowledged.push(traceId);
          if (acknowledged.length >= ACKS_BEFORE_KILL) reachedTarget();
        } catch (e) {
          // Only the kill may cut a request short; before it, every batch must be acknowledged.
          if (!killed) throw e;
          unanswered.push(traceId);
        } finally {
          inFlight--;
        }
      }
    };
    const senders = Promise.all(Array.from({ length: SENDERS }, sender));
    await Promise.race([target, senders, first.exited.then(({ code, signal }) => Promise.reject(new Error(`serve died before the kill (${code ?? signal}): ${first.stderr()}`)))]);
    killed = true;
    inFlightAtKill = inFlight;
    first.child.kill('SIGKILL');
    await senders;

    second = await startServe(env);
  });

  afterAll(async () => {
    for (const s of [first, second]) if (s && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await files?.remove();
  });

  const spansOf = async (traceId: string): Promise<{ status: number; spanIds: string[] }> => {
    const res = await fetch(`${second!.url}/api/v1/projects/${PROJECT}/traces/${traceId}`, { headers: { authorization: `Bearer ${viewerKey}` } });
    if (res.status !== 200) return { status: res.status, spanIds: [] };
    const body = (await res.json()) as { spans: { spanId: string }[] };
    return { status: 200, spanIds: body.spans.map((s) => s.spanId).sort() };
  };
  const allSpanIds = Array.from({ length: SPANS_PER_BATCH }, (_, i) => spanIdOf(i)).sort();

  it('was killed with SIGKILL while requests were in flight, after some were acknowledged', async () => {
    expect(firstStartPrintedKey).toBe(true);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
  });

  it('restarts on the same database without printing a new admin key', () => {
    expect(second!.stderr()).not.toMatch(/shown only this once/);
    expect(second!.stderr()).toMatch(/"msg":"listening"/);
  });

  it('has every span of every acknowledged batch after the restart', async () => {
    const missing: string[] = [];
    for (const traceId of acknowledged) {
      const { status, spanIds } = await spansOf(traceId);
      if (status !== 200 || spanIds.join() !== allSpanIds.join()) missing.push(`${traceId}: HTTP ${status}, ${spanIds.length} of ${SPANS_PER_BATCH} spans`);
    }
    expect(missing).toEqual([]);
  });

  it('stores a batch cut off by the kill whole or not at all', async () => {
    for (const traceId of unanswered) {
      const { status, spanIds } = await spansOf(traceId);
      if (status === 200) expect(spanIds).toEqual(allSpanIds);
      else expect(status).toBe(404);
    }
  });

  it('still refuses a trace that was never sent (the read-back can fail)', async () => {
    expect((await spansOf('0123456789abcdef0123456789abcdef')).status).toBe(404);
  });

  it('takes new spans after the restart', async () => {
    const ingest = await runCli(['keys', 'create', '--role', 'ingest', '--project', PROJECT, '--json'], { env });
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${second!.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${JSON.parse(ingest.stdout).secret}`, 'content-type': 'application/json' }, body: batch(traceId) });
    expect(res.status).toBe(200);
    expect((await spansOf(traceId)).spanIds).toEqual(allSpanIds);
  });
});
