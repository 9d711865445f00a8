/**
 * The playground in the web UI: the real `evalops serve --config` (its providers point at the local
 * scripted model server, its deterministic metrics score the outputs) on SQLite, a dataset and a
 * trace sent through the API, driven in Debian's Chromium. An engineer edits a draft, runs it on
 * chosen examples and on a trace's input, reads outputs, scores and costs beside the live config's,
 * and saves the draft as a candidate release; a viewer is told the page needs an engineer key.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

const PROJECT = 'support-bot';
const TRACE_ID = '5a'.repeat(16);

const EXAMPLES = [
  { id: 'refund-1', input: { message: 'I want a refund for A1001' }, expected: { keyword: 'refund policy' }, metadata: { lang: 'en' } },
  { id: 'refund-2', input: { message: 'Refund my order A1004 please' }, expected: { keyword: 'refund policy' }, metadata: { lang: 'en' } },
  { id: 'ship-1', input: { message: 'How long does shipping take?' }, expected: { keyword: 'shipping policy' }, metadata: { lang: 'en' } },
];

/** The draft cites the policy (its system prompt says so); the live config does not. */
const LIVE = { prompts: { system: { template: 'You are a support agent.' }, user: { template: '{{input.message}}' } }, model: { id: 'fake:support-1' } };

function config(dir: string, modelUrl: string): string {
  const path = join(dir, 'evalops.yaml');
  writeFileSync(
    path,
    [
      'version: 1',
      `project: ${PROJECT}`,
      'target: { type: model, model: "fake:support-1", prompt: "{{input.message}}" }',
      'dataset: { name: support-cases }',
      'metrics:',
      '  - { name: cites_policy, scorer: { type: icontains, value: "{{expected.keyword}}" } }',
      '  - { name: concise, scorer: { type: length, maxWords: 30 } }',
      'providers:',
      `  fake: { kind: openai-compatible, baseURL: "${modelUrl}", pricing: { support-1: { inputPerMTok: 2, outputPerMTok: 8 } } }`,
      '',
    ].join('\n'),
  );
  return path;
}

describe('the playground in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-playground-ui-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let model: FakeOpenAIServer;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    model = await startFakeOpenAI({
      respond: (req) => {
        const system = String(req.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
        const user = String(req.body?.messages?.find((m) => m.role === 'user')?.content ?? '');
        const topic = /ship/i.test(user) ? 'shipping' : 'refund';
        return system.includes('cite')
          ? { text: `Per our ${topic} policy, I have taken care of it.`, usage: { promptTokens: 50, completionTokens: 10 } }
          : { text: 'Done, it is taken care of.', usage: { promptTokens: 20, completionTokens: 6 } };
      },
    });
    const path = config(dir, model.url);
    // Release 1.0.0 is live and carries the live config (set before the server starts).
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = await store.projects.ensure(PROJECT);
      const set = await store.releaseConfigs.set(project.id, '1.0.0', LIVE, 'ci@example.com');
      await store.releases.apply(set.release.id, { type: 'gate', outcome: 'approve' }, 'gate@ci');
      await store.releases.apply(set.release.id, { type: 'promote' }, 'ci@example.com');
    } finally {
      await store.close();
    }
    keys['engineer'] = await createKeyLocally(env, ['--role', 'engineer', '--project', PROJECT, '--name', 'ana@example.com']);
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', PROJECT, '--name', 'pm@example.com']);
    keys['ingest'] = await createKeyLocally(env, ['--role', 'ingest', '--project', PROJECT, '--name', 'app']);
    serve = await startServe(env, ['--no-worker', '--config', path]);
    const api = apiClient(serve.url);
    const imported = await api(keys['engineer'], 'POST', `/projects/${PROJECT}/datasets/support-cases/versions`, { examples: EXAMPLES });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const ns = (ms: number): string => String(BigInt(ms) * 1_000_000n);
    const t0 = Date.now() - 60_000;
    const trace = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'support-bot' } }] }, scopeSpans: [{ spans: [{ traceId: TRACE_ID, spanId: '7b00000000000001', name: 'answer', kind: 2, startTimeUnixNano: ns(t0), endTimeUnixNano: ns(t0 + 300), attributes: [{ key: 'input.value', value: { stringValue: JSON.stringify({ message: 'Where is my refund for A1007?' }) } }, { key: 'output.value', value: { stringValue: 'Soon.' } }] }] }] }] };
    const sent = await fetch(`${serve.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${keys['ingest']}`, 'content-type': 'application/json' }, body: JSON.stringify(trace) });
    expect(sent.status, await sent.text()).toBe(200);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser, { width: 1400, height: 1000 }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
    await model?.close();
  });

  const signIn = async (key: string): Promise<void> => {
    await page.goto(`${serve.url}/p/${PROJECT}/playground`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('tells a viewer the playground needs an engineer key', async () => {
    await signIn(keys['viewer']!);
    await page.getByText('it needs an engineer key').waitFor();
    expect(await page.getByRole('button', { name: 'Run' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  });

  it('runs a draft on chosen examples: outputs, scores, tokens and cost', async () => {
    await signIn(keys['engineer']!);
    await page.getByRole('heading', { name: `Playground · ${PROJECT}` }).waitFor();
    await page.getByRole('link', { name: 'Playground' }).waitFor();
    const draft = { prompts: { system: { template: 'You are a support agent. Always cite the policy.' }, user: { template: 'Customer: {{input.message}}' } }, model: { id: 'fake:support-1', parameters: { temperature: 0 } } };
    await page.getByLabel(/^Draft config/).fill(JSON.stringify(draft, null, 2));
    const picks = page.getByRole('list', { name: 'Examples' });
    await picks.getByText('refund-1').waitFor();
    await picks.getByRole('checkbox').nth(0).check();
    await picks.getByRole('checkbox').nth(2).check();
    expect(await page.getByText('2 of at most 20 chosen').count()).toBe(1);
    await page.getByRole('button', { name: 'Run' }).click();
    const table = page.getByRole('table', { name: 'Playground results' });
    await table.waitFor();
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(3);
    const refund = await rows.nth(1).textContent();
    expect(refund).toContain('refund-1');
    expect(refund).toContain('Per our refund policy, I have taken care of it.');
    expect(refund).toContain('cites_policy: pass');
    expect(refund).toContain('concise: pass');
    expect(refund).toContain('50 / 10 tokens');
    const ship = await rows.nth(2).textContent();
    expect(ship).toContain('Per our shipping policy');
    // Beside it, the live release's config: no policy cited, so cites_policy fails there.
    expect(await page.getByRole('columnheader', { name: 'Live (1.0.0)' }).count()).toBe(1);
    expect(refund).toContain('Done, it is taken care of.');
    expect(refund).toContain('cites_policy: fail');
    // Cost: (2 × 50 + 8 × 10) ÷ 10⁶ per example for the draft, (2 × 20 + 8 × 6) ÷ 10⁶ for live; two examples.
    const totals = await page.getByRole('list', { name: 'Totals' }).textContent();
    expect(totals).toContain('Draft · fake:support-1 · $0.000360 · 100 input / 20 output tokens');
    expect(totals).toContain('Live (1.0.0) · fake:support-1 · $0.000176 · 40 input / 12 output tokens');
    // What reached the model: the rendered prompts.
    await page.screenshot({ path: join(screenshotDir(dir), 'playground.png'), fullPage: true });
    const sent = model.calls.map((c) => JSON.stringify(c.body?.messages));
    expect(sent).toContain(JSON.stringify([{ role: 'system', content: 'You are a support agent. Always cite the policy.' }, { role: 'user', content: 'Customer: I want a refund for A1001' }]));
  });

  it("runs the draft on a saved trace's input, opened from the trace's page", async () => {
    const draft = await page.getByLabel(/^Draft config/).inputValue();
    await page.goto(`${serve.url}/p/${PROJECT}/traces/${TRACE_ID}`);
    await page.getByRole('link', { name: 'Try its input in the playground' }).click();
    await page.getByRole('heading', { name: `Playground · ${PROJECT}` }).waitFor();
    expect(await page.getByLabel("A saved trace's input").isChecked()).toBe(true);
    expect(await page.getByLabel('Trace id').inputValue()).toBe(TRACE_ID);
    await page.getByLabel(/^Draft config/).fill(draft);
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('table', { name: 'Playground results' }).getByText(`trace_${TRACE_ID}`).waitFor();
    expect(await page.getByRole('table', { name: 'Playground results' }).textContent()).toContain('Where is my refund for A1007?');
  });

  it('starts from the live release, saves the draft as a candidate release and shows the commands to run and gate it', async () => {
    await page.getByLabel('Start from').selectOption({ label: '1.0.0 (live)' });
    await page.getByRole('button', { name: 'Load' }).click();
    await page.getByText('Loaded from release 1.0.0.').waitFor();
    const loaded = JSON.parse(await page.getByLabel(/^Draft config/).inputValue()) as typeof LIVE;
    expect(loaded).toEqual(LIVE);
    const edited = { ...LIVE, prompts: { ...LIVE.prompts, system: { template: 'You are a support agent. Always cite the policy.' } } };
    await page.getByLabel(/^Draft config/).fill(JSON.stringify(edited, null, 2));
    await page.getByLabel('Release name').fill('1.1.0');
    await page.getByRole('button', { name: 'Save as candidate' }).click();
    await page.getByText('Saved the draft as release 1.1.0').waitFor();
    const commands = await page.locator('pre.commands').textContent();
    expect(commands).toContain('# evalops.yaml: target: { type: model, release: 1.1.0 }\nevalops run -c evalops.yaml');
    expect(commands).toContain('evalops gate -c evalops.yaml');
    // Stored: the release is a candidate with exactly the draft as its config.
    const stored = await apiClient(serve.url)(keys['engineer'], 'GET', `/projects/${PROJECT}/releases/1.1.0/config`);
    expect(stored.body.release.status).toBe('candidate');
    expect(stored.body.config).toEqual(edited);
    // The commands shown work: a run of the saved release (against the scripted model), then the gate,
    // whose decision lands on release 1.1.0.
    const runConfig = join(dir, 'evalops.release.yaml');
    writeFileSync(runConfig, readFileSync(join(dir, 'evalops.yaml'), 'utf8').replace(/^target: .*$/m, 'target: { type: model, release: "1.1.0" }') + 'gate: { rules: [{ metric: cites_policy, min: 0.5, action: block }] }\n');
    const ran = await runCli(['run', '-c', runConfig, '--json'], { env });
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).metrics.cites_policy.passRate).toBe(1);
    const gated = await runCli(['gate', '-c', runConfig, '--json'], { env });
    expect(gated.code, gated.stderr).toBe(0);
    const release = await apiClient(serve.url)(keys['engineer'], 'GET', `/releases/1.1.0?project=${PROJECT}`);
    expect(release.body.status).toBe('approved');
    // Saving another config under the same name is refused, and the page says why.
    await page.getByLabel(/^Draft config/).fill(JSON.stringify(LIVE));
    await page.getByRole('button', { name: 'Save as candidate' }).click();
    await page.getByText(/already has config/).waitFor();
  });

  it('shows a refusal naming the field: a template variable the input lacks', async () => {
    await page.getByLabel('Dataset examples').check();
    await page.getByLabel(/^Draft config/).fill(JSON.stringify({ prompts: { user: { template: 'Order {{input.orderId}}' } }, model: { id: 'fake:support-1' } }));
    const picks = page.getByRole('list', { name: 'Examples' });
    if (!(await picks.getByRole('checkbox').nth(0).isChecked())) await picks.getByRole('checkbox').nth(0).check();
    await page.getByRole('button', { name: 'Run' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'body field' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('body field config: prompts.user.template: {{input.orderId}} is missing from example refund-1');
    // The only console errors: the browser's notes of the two refused requests (the 409 and the 400).
    expect(errors.filter((e) => !/^Failed to load resource: the server responded with a status of (400|409)/.test(e))).toEqual([]);
  });
});
