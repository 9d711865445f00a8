/**
 * Diagnostic client of the LLM-bound bench: N chat completions at concurrency C against the fake
 * server, without the CLI, config, runner or database, by one of:
 * - `fetch`: bare `fetch` and JSON.parse — the floor of this machine and server;
 * - `port`: EvalOps's model port on the Vercel AI SDK (dist/models/ai-sdk-model-port.js), as the
 *   model target calls it;
 * - `sdk-reused`: the AI SDK's `generateText` with the port's settings but one model instance reused
 *   for every call (the port asks the provider for a new model instance on each call).
 * Prints one JSON line: wall time of the request phase (start-up excluded) and this process's CPU.
 *
 *   node bench/llm-bound/floor-client.mjs fetch|port|sdk-reused BASE_URL N C
 */
import { REPO_ROOT } from '../lib/paths.mjs';

const [mode, baseURL, nArg, cArg] = process.argv.slice(2);
const n = Number(nArg);
const c = Number(cArg);
if (!['fetch', 'port', 'sdk-reused'].includes(mode) || !baseURL || !(n > 0) || !(c > 0)) {
  process.stderr.write('usage: floor-client.mjs fetch|port|sdk-reused BASE_URL N C\n');
  process.exit(2);
}

let call;
if (mode === 'fetch') {
  call = async (i) => {
    const res = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Answer briefly: question ${i}?` }] }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = await res.json();
    return body.choices[0].message.content;
  };
} else if (mode === 'sdk-reused') {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  const { generateText } = await import('ai');
  // The settings of src/models/provider-factory.ts and ai-sdk-model-port.ts, with the model made once.
  const model = createOpenAICompatible({ name: 'local', baseURL, supportsStructuredOutputs: true, includeUsage: true }).chatModel('bench-model');
  call = async (i) =>
    (
      await generateText({
        model,
        messages: [{ role: 'user', content: `Answer briefly: question ${i}?` }],
        allowSystemInMessages: true,
        maxRetries: 0,
        abortSignal: AbortSignal.timeout(60_000),
      })
    ).text;
} else {
  const { createModelPort } = await import(`${REPO_ROOT}/dist/models/ai-sdk-model-port.js`);
  const port = createModelPort({ providers: { local: { kind: 'openai-compatible', baseURL } }, env: {} });
  call = async (i) =>
    (await port.complete({ model: 'local:bench-model', messages: [{ role: 'user', content: `Answer briefly: question ${i}?` }], signal: AbortSignal.timeout(60_000) })).text;
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let next = 0;
let answered = 0;
await Promise.all(
  Array.from({ length: c }, async () => {
    while (next < n) {
      const i = next++;
      const text = await call(i);
      if (typeof text === 'string' && text.length > 0) answered++;
    }
  }),
);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ mode, n, c, answered, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
