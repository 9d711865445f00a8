/**
 * The conversation contract every target kind keeps: `converse(messages, ctx)` hands the whole
 * history (user and assistant messages, the assistant's tool calls) to the system under test in that
 * kind's terms, and fails as `invoke` fails. Each case builds a "recall" target that answers with what
 * it saw, in one shape: `users=<u1|u2>;assistants=<a1|a2>;tools=<names>;turn=<n>`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { EvalOpsError } from '../../src/core/errors.js';
import type { TargetConfig, TargetType } from '../../src/core/target-config.js';
import type { ChatMessage } from '../../src/core/transcript.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { createTarget } from '../../src/targets/create-target.js';
import type { ConverseContext, TargetDeps } from '../../src/targets/target.js';
import { startFakeOpenAI } from '../support/fake-openai-server.js';
import { sendJson, sendText, startScriptedHttpServer } from '../support/scripted-http-server.js';
import { tempFiles } from '../support/temp-files.js';

interface ConverseFixture {
  readonly deps: TargetDeps;
  readonly recall: TargetConfig;
  readonly failing: TargetConfig;
  /** Whether the kind can tell the system under test the turn number (a model cannot). */
  readonly seesTurn: boolean;
  teardown(): Promise<void>;
}

/** The recall answer, computed the same way by every fixture (as JS source, for module and command). */
const RECALL_JS = `function recall(messages, turn) {
  const of = (role) => messages.filter((m) => m.role === role);
  const tools = of('assistant').flatMap((m) => (m.toolCalls || []).map((c) => c.name));
  return 'users=' + of('user').map((m) => m.content).join('|') + ';assistants=' + of('assistant').map((m) => m.content).join('|') + ';tools=' + tools.join(',') + ';turn=' + turn;
}`;
const recall = new Function(`${RECALL_JS}; return recall;`)() as (messages: readonly ChatMessage[], turn: number | string) => string;

const cases: ReadonlyArray<{ type: TargetType; setup(): Promise<ConverseFixture> }> = [
  {
    type: 'module',
    async setup() {
      const files = await tempFiles({
        'package.json': '{"type":"module"}',
        'recall.mjs': `${RECALL_JS}\nexport default (messages, ctx) => recall(messages, ctx.conversation.turn + '@' + ctx.conversation.exampleId);\n`,
        'failing.mjs': "export default async () => { throw new Error('boom'); };\n",
      });
      const module = (path: string): TargetConfig => ({ type: 'module', path, export: 'default' });
      return { deps: { baseDir: files.dir, importModule }, recall: module('./recall.mjs'), failing: module('./failing.mjs'), seesTurn: true, teardown: () => files.remove() };
    },
  },
  {
    type: 'command',
    async setup() {
      const script = `${RECALL_JS}\nconst body = JSON.parse(require('fs').readFileSync(0, 'utf8'));\nprocess.stdout.write(JSON.stringify(recall(body.messages, process.env.EVALOPS_CONVERSATION_TURN + '@' + process.env.EVALOPS_EXAMPLE_ID)));`;
      const node = (source: string): TargetConfig => ({ type: 'command', command: [process.execPath, '-e', source], output: 'json', timeoutMs: 30_000 });
      return {
        deps: { baseDir: process.cwd(), importModule },
        recall: node(script),
        failing: node("process.stderr.write('boom\\n'); process.exit(3);"),
        seesTurn: true,
        teardown: async () => undefined,
      };
    },
  },
  {
    type: 'http',
    async setup() {
      const server = await startScriptedHttpServer((req, res) => {
        if (req.url === '/failing') return sendText(res, 400, 'boom');
        const body = JSON.parse(req.body) as { history: ChatMessage[]; turn: string };
        sendJson(res, 200, { answer: recall(body.history, body.turn) });
      });
      return {
        deps: { baseDir: process.cwd(), importModule },
        // The body template places the history where this API wants it, and the turn beside it.
        recall: { type: 'http', url: `${server.url}/chat`, method: 'POST', headers: {}, body: { history: '{{messages}}', turn: '{{conversation.turn}}@{{conversation.exampleId}}' }, responsePath: 'answer', timeoutMs: 30_000 },
        failing: { type: 'http', url: `${server.url}/failing`, method: 'POST', headers: {}, timeoutMs: 30_000 },
        seesTurn: true,
        teardown: () => server.close(),
      };
    },
  },
  {
    type: 'model',
    async setup() {
      // The fake model reads the OpenAI messages it was sent; tool calls arrive as the assistant's `tool_calls`.
      const server = await startFakeOpenAI({
        respond: (request) => {
          if (request.body?.model === 'failing') return { status: 400, message: 'boom' };
          const messages = (request.body?.messages ?? []).filter((m) => m.role !== 'system' && m.role !== 'tool');
          const history: ChatMessage[] = messages.map((m) => {
            const calls = (m.tool_calls ?? []) as ReadonlyArray<{ function: { name: string } }>;
            return { role: m.role as ChatMessage['role'], content: typeof m.content === 'string' ? m.content : '', ...(calls.length > 0 ? { toolCalls: calls.map((c) => ({ name: c.function.name, arguments: {} })) } : {}) };
          });
          return { text: recall(history, 'n/a') };
        },
      });
      const models = createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } }, env: {} });
      const model = (name: string): TargetConfig => ({ type: 'model', model: `fake:${name}`, prompt: 'ignored in a conversation: {{input}}', system: 'You are a support agent.', tools: [], timeoutMs: 60_000 });
      return { deps: { baseDir: process.cwd(), importModule, models }, recall: model('recall'), failing: model('failing'), seesTurn: false, teardown: () => server.close() };
    },
  },
];

const history: ChatMessage[] = [
  { role: 'user', content: 'my kettle broke' },
  { role: 'assistant', content: 'Let me look that up', toolCalls: [{ name: 'lookup_order', arguments: { id: '1234' }, result: { status: 'shipped' } }] },
  { role: 'tool', content: '{"status":"shipped"}', name: 'lookup_order', toolCallId: 'call_0' },
  { role: 'user', content: 'it is order 1234' },
];

function context(turn: number): ConverseContext {
  return { exampleId: 'conv-1', trial: 0, metadata: {}, signal: new AbortController().signal, conversation: { turn, exampleId: 'conv-1' } };
}

describe.each(cases)('Target conversation contract: $type', (testCase) => {
  let fixture: ConverseFixture;
  beforeAll(async () => {
    fixture = await testCase.setup();
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('hands the whole history to the system under test, tool calls kept on the assistant message', async () => {
    const target = await createTarget(fixture.recall, fixture.deps);
    const result = await target.converse(history, context(1));
    const turn = fixture.seesTurn ? '1@conv-1' : 'n/a';
    expect(result.output).toBe(`users=my kettle broke|it is order 1234;assistants=Let me look that up;tools=lookup_order;turn=${turn}`);
  });

  it('answers the first turn from a history of one user message', async () => {
    const target = await createTarget(fixture.recall, fixture.deps);
    const result = await target.converse([{ role: 'user', content: 'hello' }], context(0));
    expect(result.output).toBe(`users=hello;assistants=;tools=;turn=${fixture.seesTurn ? '0@conv-1' : 'n/a'}`);
  });

  it('fails a turn with the same non-retryable target error as invoke', async () => {
    const target = await createTarget(fixture.failing, fixture.deps);
    const error = await target.converse(history, context(1)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EvalOpsError);
    expect((error as EvalOpsError).code).toBe('target');
    expect((error as EvalOpsError).retryable).toBe(false);
    expect((error as EvalOpsError).message).toContain('boom');
  });
});
