/**
 * What the OpenInference stack tests (LangGraph, OpenAI, Anthropic, MCP, OpenAI Agents) share beyond
 * test/support/stack-harness.ts: running a fixture app on loopback only (and proving it stayed there),
 * the checks every stack passes (online rule, promotion, documentation snippets), and span lookups.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Span } from '../../../src/core/span.js';
import { REPO } from '../../cli/run-cli.js';
import { integrationsDoc } from '../../support/doc-snippet.js';
import { startStackHarness, type StackHarness, type StackTrace } from '../../support/stack-harness.js';

/** The marker test/support/loopback-only.mjs writes on stderr for each connection it refused. */
const BLOCKED_MARKER = 'loopback-only: blocked';

/**
 * Added to a fixture app's environment: the loopback-only preload (through NODE_OPTIONS, so processes
 * the app starts are guarded too), placeholder keys the SDKs insist on, and no vendor tracing.
 */
const OFFLINE_ENV: Readonly<Record<string, string>> = {
  NODE_OPTIONS: `--import=${join(REPO, 'test/support/loopback-only.mjs')}`,
  OPENAI_API_KEY: 'test-key-not-real',
  ANTHROPIC_API_KEY: 'test-key-not-real',
  LANGCHAIN_TRACING_V2: 'false',
  LANGSMITH_TRACING: 'false',
};

/**
 * The documentation snippets of a fixture: its whole `tracing.ts`, and each block of its `app.ts`
 * between `// docs:start` and `// docs:end`. docs/integrations.md must hold each verbatim.
 */
function fixtureSnippets(stack: string): string[] {
  const dir = join(REPO, 'test/fixtures/stacks', stack);
  const app = readFileSync(join(dir, 'app.ts'), 'utf8');
  const blocks = [...app.matchAll(/\/\/ docs:start\n([\s\S]*?)\/\/ docs:end/g)].map((m) => m[1]!.trim());
  return [readFileSync(join(dir, 'tracing.ts'), 'utf8').trim(), ...blocks];
}


/** The spans of a trace with this name, in start order. */
export function spansNamed(trace: StackTrace, name: string): Span[] {
  return trace.spans.filter((s) => s.name === name).sort((a, b) => a.startTimeMs - b.startTimeMs);
}

/** The one span of a trace with this name (throws when there is not exactly one). */
export function spanNamed(trace: StackTrace, name: string): Span {
  const spans = spansNamed(trace, name);
  if (spans.length !== 1) throw new Error(`expected one span named ${name}, found ${spans.length}: ${trace.spans.map((s) => s.name).join(', ')}`);
  return spans[0]!;
}

/** The online rule every OpenInference stack test puts before its app runs: the answer says it has shipped. */
const SAYS_SHIPPED_RULE = { name: 'says-shipped', sampleRate: 1, settleSeconds: 1, metrics: [{ name: 'says_shipped', scorer: { type: 'icontains', value: 'has shipped' } }] };

/** A fixture app that ran against its scripted model server, with its trace read back. */
export interface StackRun<M> {
  readonly stack: StackHarness;
  readonly model: M;
  /** The app's stdout JSON line. */
  readonly output: unknown;
  readonly stderr: string;
  readonly trace: StackTrace;
}

export interface StackRunOptions<M> {
  /** The project (and so the server's data) of this test. */
  readonly project: string;
  /** The fixture's folder under test/fixtures/stacks/. */
  readonly fixture: string;
  readonly startModel: () => Promise<M>;
  /** The app's environment for the model server (e.g. its base URL), beside OFFLINE_ENV. */
  readonly env: (model: M) => Record<string, string>;
  /** The name of the trace's root span, and how many spans the whole trace has. */
  readonly rootName: string;
  readonly spans: number;
}

/**
 * Registers the hooks that start a real `evalops serve`, put the online rule, start the model server,
 * run the fixture app on loopback only and wait for its whole trace; and those that stop it all.
 * Call inside a `describe`; the value is there from the first test on.
 */
export function runStackApp<M extends { close(): Promise<void> }>(options: StackRunOptions<M>): { readonly current: StackRun<M> } {
  const holder: { current: StackRun<M> } = { current: undefined as unknown as StackRun<M> };
  let stack: StackHarness | undefined;
  let model: M | undefined;
  beforeAll(async () => {
    stack = await startStackHarness(options.project);
    model = await options.startModel();
    await stack.putOnlineRule(SAYS_SHIPPED_RULE);
    const app = await stack.runApp(`test/fixtures/stacks/${options.fixture}/app.ts`, { ...OFFLINE_ENV, ...options.env(model) });
    const trace = await stack.waitForTrace((t) => t.name === options.rootName, options.spans);
    holder.current = { stack, model, output: app.output, stderr: app.stderr, trace };
  }, 120_000);
  afterAll(async () => {
    stack?.stop();
    await model?.close();
  });
  return holder;
}

/** What a promoted trace's example must hold. */
export interface ExpectedExample {
  readonly input: unknown;
  readonly reference: unknown;
  readonly sessionId: string;
  readonly model: string;
  readonly toolCall: { readonly name: string; readonly arguments: unknown };
}

/**
 * The checks every stack shares: nothing beyond loopback, the online rule scored the trace's output,
 * the trace promotes into a dataset example, and the fixture's snippets are in the document verbatim.
 */
export function itChecksTheStackRun(run: { readonly current: StackRun<unknown> }, fixture: string, expected: ExpectedExample): void {
  it('reaches nothing but loopback', () => {
    expect(run.current.stderr).not.toContain(BLOCKED_MARKER);
  });

  it('scores the output with an online rule', async () => {
    const scores = await run.current.stack.waitForOnlineScores(run.current.trace.summary.traceId);
    expect(scores).toEqual([expect.objectContaining({ metric: 'says_shipped', pass: true })]);
  });

  it('promotes the trace into a dataset: input, reference output, the tool call, session, model', async () => {
    const example = await run.current.stack.promote(run.current.trace.summary.traceId, `from-${fixture}`);
    expect(example).toMatchObject({ source: 'trace', input: expected.input, expected: { reference: expected.reference }, metadata: { sessionId: expected.sessionId, model: expected.model } });
    expect(example.metadata.toolCalls).toContainEqual(expected.toolCall);
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    for (const snippet of fixtureSnippets(fixture)) expect(integrationsDoc()).toContain(snippet);
  });
}
