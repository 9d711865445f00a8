/**
 * The contract every target kind keeps (STYLE.md: one suite, every implementation). Each case sets up
 * the same behaviours in its own terms (files, child processes, a local HTTP server, the fake OpenAI
 * server) and every target is built through createTarget; a new kind is one more entry in `cases`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { EvalOpsError } from '../../src/core/errors.js';
import type { TargetConfig, TargetType } from '../../src/core/target-config.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { createTarget } from '../../src/targets/create-target.js';
import type { InvokeContext, TargetDeps } from '../../src/targets/target.js';
import { startFakeOpenAI } from '../support/fake-openai-server.js';
import { sendJson, sendText, startScriptedHttpServer } from '../support/scripted-http-server.js';
import { tempFiles } from '../support/temp-files.js';

/**
 * The behaviours each case provides, for the input `{ text }`:
 * - echo: output `echo:<text>`; echoChanged: output `ECHO:<text>` (different behaviour, different variant)
 * - structured: output `done` and one tool call `lookup` with arguments `{ id: <text> }`
 * - failing: fails with a message containing `boom`
 * - hanging(timeoutMs): never answers
 */
interface ContractFixture {
  readonly deps: TargetDeps;
  readonly echo: TargetConfig;
  readonly echoChanged: TargetConfig;
  readonly structured: TargetConfig;
  readonly failing: TargetConfig;
  hanging(timeoutMs: number): TargetConfig;
  teardown(): Promise<void>;
}

interface ContractCase {
  readonly type: TargetType;
  setup(): Promise<ContractFixture>;
}

const cases: readonly ContractCase[] = [
  {
    type: 'module',
    async setup() {
      const files = await tempFiles({
        'package.json': '{"type":"module"}',
        'echo.mjs': "export default async (input) => 'echo:' + input.text;\n",
        'echo-changed.mjs': "export default async (input) => 'ECHO:' + input.text;\n",
        'structured.mjs':
          "export default (input) => ({ output: 'done', toolCalls: [{ name: 'lookup', arguments: { id: input.text } }] });\n",
        'failing.mjs': "export default async () => { throw new Error('boom'); };\n",
        'hanging.mjs': 'export default () => new Promise(() => {});\n',
      });
      const module = (path: string, timeoutMs?: number): TargetConfig => ({
        type: 'module',
        path,
        export: 'default',
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      return {
        deps: { baseDir: files.dir, importModule },
        echo: module('./echo.mjs'),
        echoChanged: module('./echo-changed.mjs'),
        structured: module('./structured.mjs'),
        failing: module('./failing.mjs'),
        hanging: (timeoutMs) => module('./hanging.mjs', timeoutMs),
        teardown: () => files.remove(),
      };
    },
  },
  {
    type: 'command',
    async setup() {
      const readInput = "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));";
      const node = (script: string, timeoutMs = 30_000): TargetConfig => ({
        type: 'command',
        command: [process.execPath, '-e', script],
        output: 'json',
        timeoutMs,
      });
      return {
        deps: { baseDir: process.cwd(), importModule },
        echo: node(`${readInput} process.stdout.write(JSON.stringify('echo:' + input.text));`),
        echoChanged: node(`${readInput} process.stdout.write(JSON.stringify('ECHO:' + input.text));`),
        structured: node(
          `${readInput} process.stdout.write(JSON.stringify({ output: 'done', toolCalls: [{ name: 'lookup', arguments: { id: input.text } }] }));`,
        ),
        failing: node("process.stderr.write('boom\\n'); process.exit(3);"),
        hanging: (timeoutMs) => node('setInterval(() => {}, 1000);', timeoutMs),
        teardown: async () => undefined,
      };
    },
  },
  {
    type: 'http',
    async setup() {
      const server = await startScriptedHttpServer((req, res) => {
        const text = req.body ? (JSON.parse(req.body) as { input: { text: string } }).input.text : '';
        if (req.url === '/echo') sendJson(res, 200, `echo:${text}`);
        else if (req.url === '/echo-changed') sendJson(res, 200, `ECHO:${text}`);
        else if (req.url === '/structured') {
          sendJson(res, 200, { output: 'done', toolCalls: [{ name: 'lookup', arguments: { id: text } }] });
        } else if (req.url === '/failing') sendText(res, 400, 'boom');
        // '/hanging' never answers.
      });
      const http = (path: string, timeoutMs = 30_000): TargetConfig => ({
        type: 'http',
        url: `${server.url}${path}`,
        method: 'POST',
        headers: {},
        timeoutMs,
      });
      return {
        deps: { baseDir: process.cwd(), importModule },
        echo: http('/echo'),
        echoChanged: http('/echo-changed'),
        structured: http('/structured'),
        failing: http('/failing'),
        hanging: (timeoutMs) => http('/hanging', timeoutMs),
        teardown: () => server.close(),
      };
    },
  },
  {
    type: 'model',
    async setup() {
      // The scripted behaviour is picked by the model name; the user message is the rendered prompt.
      const server = await startFakeOpenAI({
        respond: (request) => {
          const text = String(request.body?.messages?.at(-1)?.content ?? '');
          switch (request.body?.model) {
            case 'echo':
              return { text: `echo:${text}` };
            case 'echo-changed':
              return { text: `ECHO:${text}` };
            case 'structured':
              return { text: 'done', toolCalls: [{ name: 'lookup', arguments: { id: text } }] };
            case 'failing':
              return { status: 400, message: 'boom' };
            default:
              return { text: 'late', delayMs: 60_000 };
          }
        },
      });
      const models = createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } }, env: {} });
      const model = (name: string, timeoutMs = 60_000): TargetConfig => ({
        type: 'model',
        model: `fake:${name}`,
        prompt: '{{input.text}}',
        tools: [{ name: 'lookup', description: 'Finds a record', parameters: { type: 'object', properties: { id: { type: 'string' } } } }],
        timeoutMs,
      });
      return {
        deps: { baseDir: process.cwd(), importModule, models },
        echo: model('echo'),
        echoChanged: model('echo-changed'),
        structured: model('structured'),
        failing: model('failing'),
        hanging: (timeoutMs) => model('hanging', timeoutMs),
        teardown: () => server.close(),
      };
    },
  },
];

function context(signal: AbortSignal = new AbortController().signal): InvokeContext {
  return { exampleId: 'ex-1', trial: 0, metadata: { lang: 'en' }, signal };
}

async function rejection(promise: Promise<unknown>): Promise<EvalOpsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvalOpsError);
  return error as EvalOpsError;
}

describe.each(cases)('Target contract: $type', (testCase) => {
  let fixture: ContractFixture;
  beforeAll(async () => {
    fixture = await testCase.setup();
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('reports its own type', async () => {
    const target = await createTarget(fixture.echo, fixture.deps);
    expect(target.type).toBe(testCase.type);
  });

  it('answers an input with the plain output and no tool calls', async () => {
    const target = await createTarget(fixture.echo, fixture.deps);
    // usage and cost are optional: a kind that knows them (model) may add them.
    await expect(target.invoke({ text: 'hi' }, context())).resolves.toMatchObject({ output: 'echo:hi', toolCalls: [] });
    await expect(target.invoke({ text: 'again' }, context())).resolves.toMatchObject({ output: 'echo:again' });
  });

  it('returns structured output with its tool calls', async () => {
    const target = await createTarget(fixture.structured, fixture.deps);
    const result = await target.invoke({ text: 'A-7' }, context());
    expect(result.output).toBe('done');
    expect(result.toolCalls).toEqual([{ name: 'lookup', arguments: { id: 'A-7' } }]);
  });

  it('rejects with a non-retryable target error when the system under test fails', async () => {
    const target = await createTarget(fixture.failing, fixture.deps);
    const error = await rejection(target.invoke({ text: 'hi' }, context()));
    expect(error.code).toBe('target');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('boom');
  });

  it('rejects with a retryable target error when the call times out', async () => {
    const target = await createTarget(fixture.hanging(200), fixture.deps);
    const error = await rejection(target.invoke({ text: 'hi' }, context()));
    expect(error.code).toBe('target');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('timed out after 200 ms');
  });

  it('rejects with a non-retryable target error when the caller aborts', async () => {
    const target = await createTarget(fixture.hanging(60_000), fixture.deps);
    const controller = new AbortController();
    const pending = target.invoke({ text: 'hi' }, context(controller.signal));
    setTimeout(() => controller.abort(new Error('run stopped')), 100);
    const error = await rejection(pending);
    expect(error.code).toBe('target');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('aborted');
  });

  it('does not start work when the signal is already aborted', async () => {
    const target = await createTarget(fixture.echo, fixture.deps);
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(target.invoke({ text: 'hi' }, context(controller.signal)));
    expect(error.message).toBe('aborted');
  });

  it('keeps its variant for the same config and changes it when behaviour changes', async () => {
    const first = await createTarget(fixture.echo, fixture.deps);
    const second = await createTarget(fixture.echo, fixture.deps);
    const changed = await createTarget(fixture.echoChanged, fixture.deps);
    expect(first.variant).toMatch(/^[0-9a-f]{16}$/);
    expect(second.variant).toBe(first.variant);
    expect(changed.variant).not.toBe(first.variant);
  });

  it('gives a new variant when the config names a new version', async () => {
    const base = await createTarget(fixture.echo, fixture.deps);
    const versioned = await createTarget({ ...fixture.echo, version: 'v2' }, fixture.deps);
    expect(versioned.variant).not.toBe(base.variant);
  });
});
