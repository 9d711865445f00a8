/**
 * What the OpenInference stack tests (LangGraph, OpenAI, Anthropic, MCP, OpenAI Agents) share beyond
 * test/support/stack-harness.ts: the environment that keeps a fixture app on loopback (and proves it
 * did), the documentation snippets of a fixture, and span lookups.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../../../src/core/span.js';
import { REPO } from '../../cli/run-cli.js';
import type { StackTrace } from '../../support/stack-harness.js';

/** The marker test/support/loopback-only.mjs writes on stderr for each connection it refused. */
export const BLOCKED_MARKER = 'loopback-only: blocked';

/**
 * Added to a fixture app's environment: the loopback-only preload (through NODE_OPTIONS, so processes
 * the app starts are guarded too), placeholder keys the SDKs insist on, and no vendor tracing.
 */
export const OFFLINE_ENV: Readonly<Record<string, string>> = {
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
export function fixtureSnippets(stack: string): string[] {
  const dir = join(REPO, 'test/fixtures/stacks', stack);
  const app = readFileSync(join(dir, 'app.ts'), 'utf8');
  const blocks = [...app.matchAll(/\/\/ docs:start\n([\s\S]*?)\/\/ docs:end/g)].map((m) => m[1]!.trim());
  return [readFileSync(join(dir, 'tracing.ts'), 'utf8').trim(), ...blocks];
}

/** The text of docs/integrations.md. */
export function integrationsDoc(): string {
  return readFileSync(join(REPO, 'docs/integrations.md'), 'utf8');
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
