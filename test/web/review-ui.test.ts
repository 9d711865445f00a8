/**
 * Human review and judge calibration in the web UI, as a team uses them: the real `evalops serve`
 * on a support-bot run whose helpfulness judge was scored by a scripted OpenAI-compatible server, a
 * queue created and filled through the API, and Debian's Chromium. Two reviewers label every item
 * with the keyboard (some labels differ); the queue page shows the agreement figures worked out by
 * hand for those labels and the disputed items; a viewer sees no adjudicate control; the owner
 * settles a dispute; the judges page and the scorecard say the judge is uncalibrated.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';

const QUEUE = 'helpfulness-review';
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const KEYS: Record<string, string> = { poor: '1', adequate: '2', excellent: '3' };

/**
 * The labels each reviewer gives. Two of four items agree, so percent agreement is 2/4 = 0.5.
 * Alice's marginals (poor, adequate, excellent) are 1/4, 2/4, 1/4 and Bob's 2/4, 0, 2/4, so chance
 * agreement is 1/4·2/4 + 1/4·2/4 = 0.25 and Cohen's kappa (0.5 − 0.25) / (1 − 0.25) = 1/3.
 * Quadratic weights (i − j)²/4: observed disagreement (¼ + ¼)/4 = 0.125, expected 0.375, so weighted
 * kappa = 1 − 0.125/0.375 = 2/3. Fleiss: pooled shares 3/8, 2/8, 3/8, expected 22/64, observed 0.5,
 * kappa = (0.5 − 22/64)/(1 − 22/64) = 5/21 ≈ 0.24. Krippendorff (ordinal): value counts 3, 2, 3,
 * distances poor–adequate = adequate–excellent = 2.5² and poor–excellent = 5²; D_o = 25/8,
 * D_e = 600/56, alpha = 1 − (25/8)/(600/56) = 17/24 ≈ 0.71. Specific agreement: poor and excellent
 * 2·1/3 = 66.7%, adequate 0.
 */
const LABELS: Record<string, { alice: string; bob: string }> = {
  'account-en-01': { alice: 'poor', bob: 'poor' },
  'account-en-02': { alice: 'adequate', bob: 'excellent' },
  'account-en-03': { alice: 'excellent', bob: 'excellent' },
  'account-es-01': { alice: 'adequate', bob: 'poor' },
};

describe('human review and judge calibration in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-review-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  let judge: FakeOpenAIServer;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const keys: Record<string, string> = {};
  let runId = '';
  let call: ReturnType<typeof apiClient>;

  const signIn = async (key: string, who: string): Promise<void> => {
    await page.context().clearCookies();
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(who).waitFor();
  };
  const signOut = async (): Promise<void> => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  };
  /** The example id of the item on the review page, once one (or "Queue done") is shown. */
  const shownItem = async (p: Page, previous?: string): Promise<string | null> => {
    const heading = p.getByRole('heading', { level: 2, name: /^(Item .+|Queue done)$/ });
    await heading.waitFor();
    // One read of the heading: the page may move from the last item to "Queue done" between two reads.
    const text = ((await heading.textContent()) ?? '').trim();
    if (text === 'Queue done') return null;
    const id = /^Item (\S+)/.exec(text)?.[1] ?? '';
    if (id === previous) {
      // A locator, not waitForFunction: Playwright evals a string predicate in the page, which the CSP (no 'unsafe-eval') forbids.
      await p.getByRole('heading', { level: 2, name: /^(Item .+|Queue done)$/ }).filter({ hasNotText: previous }).waitFor();
      return shownItem(p, previous);
    }
    return id;
  };
  /** Labels every item the reviewer is given, by keyboard only; returns the ids in the order shown. */
  const DWELL_MS = 250;
  const labelAll = async (who: 'alice' | 'bob', notes: Record<string, string> = {}): Promise<string[]> => {
    const seen: string[] = [];
    for (let id = await shownItem(page); id !== null; id = await shownItem(page, id)) {
      seen.push(id);
      const label = LABELS[id]?.[who];
      expect(label, `unexpected item ${id}`).toBeDefined();
      // The judge's verdict is hidden unless asked for.
      expect(await page.getByText('The judge said').isVisible()).toBe(false);
      // The reviewer reads for at least DWELL_MS: a lower bound on the time the page must measure.
      await page.waitForTimeout(DWELL_MS);
      await page.keyboard.press(KEYS[label!]!);
      expect(await page.getByRole('radio', { name: new RegExp(`^${label}\\b`) }).isChecked()).toBe(true);
      const note = notes[id];
      if (note) {
        await page.keyboard.press('n');
        expect(await page.evaluate<string>('document.activeElement?.tagName')).toBe('TEXTAREA');
        await page.keyboard.type(note);
      }
      await page.keyboard.press('Enter');
    }
    return seen;
  };

  beforeAll(async () => {
    judge = await startFakeOpenAI({ respond: () => ({ json: { label: 'adequate', reason: 'names the policy but not the next step' } }) });
    const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
    const run = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json', '--no-cache'], { env: { ...env, OPENAI_API_KEY: 'test', OPENAI_BASE_URL: judge.url } });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.metrics.helpfulness).toMatchObject({ n: 90, errored: 0 });
    runId = doc.runId;
    keys['engineer'] = await createKeyLocally(env, ['--role', 'engineer', '--project', 'support-bot', '--name', 'ci-bot']);
    keys['alice'] = await createKeyLocally(env, ['--role', 'reviewer', '--project', 'support-bot', '--name', ALICE]);
    keys['bob'] = await createKeyLocally(env, ['--role', 'reviewer', '--project', 'support-bot', '--name', BOB]);
    keys['owner'] = await createKeyLocally(env, ['--role', 'owner', '--project', 'support-bot', '--name', 'product@example.com']);
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot', '--name', 'pm@example.com']);
    serve = await startServe(env);
    call = apiClient(serve.url);
    const created = await call(keys['engineer'], 'POST', '/projects/support-bot/review/queues', {
      name: QUEUE,
      metric: 'helpfulness',
      rubric: {
        labels: [
          { label: 'poor', definition: 'Wrong, unhelpful or off-policy.' },
          { label: 'adequate', definition: 'Correct and on policy, but leaves the customer work to do.' },
          { label: 'excellent', definition: 'Correct, on policy, and resolves the request.' },
        ],
        pass: ['adequate', 'excellent'],
        ordinal: true,
      },
      reviewers: [ALICE, BOB],
      reviewersPerItem: 2,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const routed = await call(keys['engineer'], 'POST', `/projects/support-bot/review/queues/${QUEUE}/items`, { from: 'run', runId, exampleIds: Object.keys(LABELS) });
    expect(routed.status, JSON.stringify(routed.body)).toBe(200);
    expect(routed.body).toMatchObject({ added: 4, byReason: { manual: 4 } });

    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
    await judge?.close();
  });

  it('lists the queue with its metric, reviewers per item and progress', async () => {
    await signIn(keys['alice']!, `${ALICE} · reviewer`);
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review queues' }).waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: QUEUE }) });
    expect(await card.textContent()).toMatch(new RegExp(`metric helpfulness · 2 reviewers per item · reviewers ${ALICE}, ${BOB}0 of 4 settled`));
    expect(await card.getByRole('progressbar').getAttribute('value')).toBe('0');
  });

  it('lets a reviewer label every item with the keyboard, judge hidden, with clear refusals', async () => {
    await page.getByRole('link', { name: QUEUE }).click();
    await page.getByRole('heading', { level: 1, name: `Queue ${QUEUE}` }).waitFor();
    // Before any label, no table of undefined statistics: an empty state (issue 21).
    await page.getByText('No labels yet: agreement shows once reviewers have labelled items.').waitFor();
    expect(await page.getByRole('table', { name: 'Agreement statistics' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Start reviewing' }).click();
    const first = await shownItem(page);
    expect(first).not.toBeNull();
    // The rubric, with definitions; the judge only when asked for.
    expect(await page.getByRole('group', { name: 'Label (keys 1–3)' }).textContent()).toBe(
      'Label (keys 1–3)1poorWrong, unhelpful or off-policy.2adequate · passCorrect and on policy, but leaves the customer work to do.3excellent · passCorrect, on policy, and resolves the request.',
    );
    expect(await page.getByText('The judge said').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Show judge' }).click();
    expect(await page.getByText('The judge said').textContent()).toBe('The judge said adequate (pass): names the policy but not the next step');
    await page.screenshot({ path: join(shots, 'review-item.png'), fullPage: true });
    await page.getByRole('button', { name: 'Hide judge' }).click();
    expect(await page.getByText('The judge said').isVisible()).toBe(false);
    // Enter without a label says what is missing and sends nothing.
    await page.locator('.review-main h2').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('alert').textContent()).toBe('Pick a label first (keys 1–3).');

    // The same item open in a second tab: labelled here first, the second tab is told why it is refused.
    const other = await page.context().newPage();
    const otherErrors: string[] = [];
    other.on('console', (m) => m.type() === 'error' && otherErrors.push(m.text()));
    await other.goto(page.url());
    expect(await shownItem(other)).toBe(first);

    const seen = await labelAll('alice', { 'account-en-02': 'Refund step 2 is missing' });
    expect(seen).toHaveLength(4);
    expect(new Set(seen)).toEqual(new Set(Object.keys(LABELS)));
    expect(seen[0]).toBe(first);
    expect(await page.getByRole('status').textContent()).toMatch(new RegExp(`^Queue doneNothing left for you, ${ALICE}`));

    await other.keyboard.press('1');
    await other.keyboard.press('Enter');
    expect(await other.getByRole('alert').textContent()).toMatch(new RegExp(`^Already labelled: ${ALICE} has already labelled item \\S+ \\(as "${LABELS[first!]!.alice}"\\); a reviewer labels an item once$`));
    expect(otherErrors).toEqual([expect.stringMatching(/status of 409/)]);
    await other.close();

    // What was stored: every label with the time spent measured from when the item was shown, the note typed after N.
    const items = await call(keys['viewer'], 'GET', `/projects/support-bot/review/queues/${QUEUE}/items`);
    const labels = items.body.items.flatMap((i: { exampleId: string; labels: { reviewer: string; label: string; note: string | null; seconds: number }[] }) => i.labels.map((l) => ({ id: i.exampleId, ...l })));
    expect(labels).toHaveLength(4);
    for (const l of labels) {
      expect(l).toMatchObject({ reviewer: ALICE, label: LABELS[l.id]!.alice });
      // Measured from when the item was shown, to a tenth of a second: at least the dwell.
      expect(l.seconds).toBeGreaterThanOrEqual(Math.floor(DWELL_MS / 100) / 10);
      expect(l.seconds).toBeLessThan(60);
    }
    expect(labels.find((l: { id: string }) => l.id === 'account-en-02').note).toBe('Refund step 2 is missing');
    expect(errors).toEqual([]);
    await signOut();
  });

  it('tells a signed-in key that is not a reviewer of the queue why it cannot review', async () => {
    await signIn(keys['owner']!, 'product@example.com · owner');
    await page.goto(`${serve.url}/p/support-bot/review/${QUEUE}`);
    await page.getByRole('heading', { level: 1, name: `Queue ${QUEUE}` }).waitFor();
    expect(await page.getByRole('link', { name: 'Start reviewing' }).count()).toBe(0);
    await page.goto(`${serve.url}/p/support-bot/review/${QUEUE}/next`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`Not allowedproduct@example.com is not a reviewer of queue "${QUEUE}" (reviewers: ${ALICE}, ${BOB})`);
    expect(errors).toEqual([expect.stringMatching(/status of 403/)]);
    errors.length = 0;
    await signOut();
  });

  it('gives the second reviewer every item and ends with "queue done"', async () => {
    await signIn(keys['bob']!, `${BOB} · reviewer`);
    await page.goto(`${serve.url}/p/support-bot/review/${QUEUE}/next`);
    const seen = await labelAll('bob');
    expect(new Set(seen)).toEqual(new Set(Object.keys(LABELS)));
    await page.getByRole('heading', { name: 'Queue done' }).waitFor();
    expect(errors).toEqual([]);
    await signOut();
  });

  it('shows a viewer the agreement worked out by hand, the disputed items, and no adjudicate control', async () => {
    await signIn(keys['viewer']!, 'pm@example.com · viewer');
    await page.goto(`${serve.url}/p/support-bot/review/${QUEUE}`);
    const stats = page.getByRole('table', { name: 'Agreement statistics' });
    await stats.waitFor();
    const rows = await stats.getByRole('row').allTextContents();
    expect(rows[1]).toBe('Percent agreement50.0%0.0% … 100.0%'); // bootstrap over 4 items: 2.5% and 97.5% quantiles of k/4
    expect(rows[2]).toMatch(/^Cohen's kappa0\.33−?\d\.\d\d … \d\.\d\d$/);
    expect(rows[3]).toMatch(/^Weighted Cohen's kappa0\.67\d\.\d\d … 1\.00$/);
    expect(rows[4]).toMatch(/^Fleiss' kappa0\.24−\d\.\d\d … 1\.00$/);
    expect(rows[5]).toMatch(/^Krippendorff's alpha \(ordinal\)0\.71−\d\.\d\d … 1\.00$/);
    // Per label, each figure with its 95% bootstrap interval over items (seeded, so stable).
    const perLabel = await page.getByRole('table', { name: 'Agreement per label' }).getByRole('row').allTextContents();
    expect(perLabel[0]).toBe('LabelLabels givenSpecific agreementKappa');
    expect(perLabel[1]).toMatch(/^poor366\.7% \(\d+\.\d% … \d+\.\d%\)0\.47 \(−?\d\.\d\d … \d\.\d\d\)$/);
    expect(perLabel[2]).toMatch(/^adequate20\.0% \(0\.0% … 0\.0%\)−0\.33/);
    expect(perLabel[3]).toMatch(/^excellent366\.7% \(/);
    // Every reviewer pair: unweighted 1/3 (as above); linear weights 1 − |i − j|/2: observed
    // (1 + ½ + 1 + ½)/4 = 0.75, expected ¼·½ + ½·(½·½ + ½·½) + ¼·½ = 0.5, so κ = 0.5; quadratic 2/3.
    const pairs = await page.getByRole('table', { name: 'Agreement per reviewer pair' }).getByRole('row').allTextContents();
    expect(pairs[0]).toBe('Reviewer pairItemsKappaLinearQuadratic');
    expect(pairs.slice(1)).toHaveLength(1);
    expect(pairs[1]).toMatch(new RegExp(`^${ALICE} × ${BOB}40\\.33 \\(−?\\d\\.\\d\\d … \\d\\.\\d\\d\\)0\\.50 \\(−?\\d\\.\\d\\d … \\d\\.\\d\\d\\)0\\.67 \\(`));
    expect(await page.getByText('4 items, 8 labels by 2 reviewers').count()).toBe(1);
    // Progress per reviewer: four labels each, none open.
    expect(await page.getByRole('table', { name: 'Progress per reviewer' }).getByRole('row', { name: new RegExp(`^${ALICE}`) }).textContent()).toMatch(new RegExp(`^${ALICE}40(\\d\\.\\d s|\\d+ s|\\d+\\.\\d min)$`)); // time spent: its format follows how long she took
    expect(await page.locator('.queue-progress').first().textContent()).toBe('2 of 4 settled · 2 disputed');
    // The disputes with each reviewer's label.
    const disputed = page.getByRole('table', { name: 'Disputed items' });
    const texts = (await disputed.getByRole('row').allTextContents()).slice(1);
    expect(texts).toHaveLength(2);
    expect(texts.find((t) => t.startsWith('account-en-02'))).toMatch(new RegExp(`${ALICE}: adequate — Refund step 2 is missing${BOB}: excellent$`));
    expect(texts.find((t) => t.startsWith('account-es-01'))).toMatch(new RegExp(`${ALICE}: adequate${BOB}: poor$`));
    expect(await page.getByRole('button', { name: 'Adjudicate' }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Adjudicate' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Start reviewing' }).count()).toBe(0);
    // The items table filters on the server.
    await page.getByLabel('Status').selectOption('settled');
    await page.getByRole('grid', { name: 'Queue items' }).getByRole('row').nth(2).waitFor();
    const settled = await page.getByRole('grid', { name: 'Queue items' }).getByRole('row').allTextContents();
    expect(settled.slice(1).map((r) => /account-\w+-\d+/.exec(r)?.[0]).sort()).toEqual(['account-en-01', 'account-en-03']);
    expect(settled.slice(1).every((r) => r.includes('settled: '))).toBe(true);
    // Each row is a real link to the run result or trace it came from.
    expect(await page.getByRole('grid', { name: 'Queue items' }).getByRole('row').nth(1).getByRole('link').getAttribute('href')).toMatch(/^\/p\/support-bot\/(runs|traces)\/\w/);
    expect(errors).toEqual([]);
    await signOut();
  });

  it('lets the owner adjudicate a dispute, which then leaves the disputed list', async () => {
    await signIn(keys['owner']!, 'product@example.com · owner');
    await page.goto(`${serve.url}/p/support-bot/review/${QUEUE}`);
    const form = page.getByRole('form', { name: 'Adjudicate account-es-01' });
    await form.waitFor();
    await form.getByLabel('True label of account-es-01').selectOption('poor');
    await form.getByRole('button', { name: 'Adjudicate' }).click();
    await form.waitFor({ state: 'detached' });
    const disputed = page.getByRole('table', { name: 'Disputed items' });
    expect((await disputed.getByRole('row').allTextContents()).slice(1).map((t) => t.slice(0, 13))).toEqual(['account-en-02']);
    await page.getByText('3 of 4 settled · 1 disputed').waitFor();
    await page.screenshot({ path: join(shots, 'review.png'), fullPage: true });
    const items = await call(keys['viewer'], 'GET', `/projects/support-bot/review/queues/${QUEUE}/items?status=settled`);
    expect(items.body.items.find((i: { exampleId: string }) => i.exampleId === 'account-es-01')).toMatchObject({ truth: 'poor', truthBy: 'product@example.com' });
    expect(errors).toEqual([]);
  });

  it('shows helpfulness as uncalibrated on the judges page and on the scorecard, with the reviewer burden', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Judges' }).click();
    const section = page.getByRole('region', { name: /^helpfulness/ });
    await section.waitFor();
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('helpfulness Uncalibrated');
    expect(await section.textContent()).toContain('This judge has not been shown to agree with human reviewers');
    await section.getByText('Not calibrated yet.').waitFor();
    // Reviewed items with a judge verdict: the drift chart.
    // Three settled items, each with the judge's "adequate" against the humans' poor, excellent, poor: 100% disagreement today.
    await section.getByRole('img', { name: /helpfulness: judge–human disagreement per day/ }).waitFor();
    expect(await section.locator('.chart-summary').textContent()).toBe('Latest 100.0% over 3 items; alert above 20.0% on at least 20 items.');
    expect(await section.getByRole('alert').count()).toBe(0);

    // A calibration on the three settled items (as `evalops calibrate` records it): the judge said
    // "adequate" every time. Humans: poor, poor, excellent → 0 of 3 agree; the one human pass was
    // judged a pass (TPR 1), neither human fail was (TNR 0); 3 gold items < 100, so still uncalibrated.
    const gold = await call(keys['engineer'], 'POST', '/projects/support-bot/gold-sets', { metric: 'helpfulness' });
    expect(gold.status, JSON.stringify(gold.body)).toBe(201);
    const goldItems = (await call(keys['viewer'], 'GET', '/projects/support-bot/gold-sets/helpfulness')).body.goldItems as { key: string }[];
    const judgeVersion = (await call(keys['viewer'], 'GET', '/projects/support-bot/judges')).body.judges[0].judgeVersion;
    const calibrated = await call(keys['engineer'], 'POST', '/projects/support-bot/calibrations', {
      metric: 'helpfulness',
      judgeVersion,
      answers: goldItems.map((g) => ({ key: g.key, status: 'scored', label: 'adequate', reason: 'names the policy but not the next step' })),
    });
    expect(calibrated.status, JSON.stringify(calibrated.body)).toBe(201);
    await page.reload();
    await section.locator('.calibration').waitFor();
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('helpfulness Uncalibrated');
    expect(await section.locator('.calibration .facts').textContent()).toMatch(/Percent agreement0\.0%True-positive rate100\.0%True-negative rate0\.0%$/);
    expect(await section.getByRole('table', { name: 'helpfulness: confusion matrix' }).getByRole('row').allTextContents()).toEqual([
      'Human ↓ · judge →pooradequateexcellent',
      'poor020',
      'adequate000',
      'excellent010',
    ]);
    const wrong = await section.getByRole('table', { name: 'helpfulness: disagreements with the humans' }).getByRole('row').allTextContents();
    expect(wrong.slice(1).map((r) => r.slice(0, 13)).sort()).toEqual(['account-en-01', 'account-en-03', 'account-es-01']);
    expect(wrong.find((r) => r.startsWith('account-en-03'))).toMatch(/^account-en-03excellentadequatenames the policy but not the next step/);
    expect(await section.locator('.why').textContent()).toMatch(/100/);
    await page.screenshot({ path: join(shots, 'judges.png'), fullPage: true });

    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Scorecard' }).click();
    // The judges page has tables too: wait for the scorecard itself before reading its rows.
    await page.getByRole('heading', { level: 2, name: /^Scorecard · support-bot/ }).waitFor();
    await page.getByRole('rowheader', { name: /^helpfulness/ }).waitFor();
    expect(await page.getByRole('rowheader', { name: /^helpfulness/ }).textContent()).toBe('helpfulness Uncalibrated');
    expect(await page.getByRole('rowheader', { name: /^cites_policy/ }).textContent()).toBe('cites_policy');
    const burden = page.getByRole('region', { name: /Reviewer burden/ });
    await burden.waitFor();
    // 4 of 90 results routed; 8 labels; every item fully labelled; one dispute left, three settled.
    expect(await burden.locator('dl').textContent()).toMatch(/^Results routed to humans4\.4% \(4 of 90\)Time per label\d+\.\d sLabels8Open items0Disputed1Settled3$/);
    expect(errors).toEqual([]);
  });

  it('lets a reviewer skip an item (the next comes, never that one again) and release one (back to the queue page)', async () => {
    const created = await call(keys['engineer'], 'POST', '/projects/support-bot/review/queues', {
      name: 'skip-check',
      metric: 'helpfulness',
      rubric: { labels: [{ label: 'poor' }, { label: 'adequate' }, { label: 'excellent' }], pass: ['adequate', 'excellent'], ordinal: true },
      reviewersPerItem: 1,
      leaseMinutes: 45,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const routed = await call(keys['engineer'], 'POST', '/projects/support-bot/review/queues/skip-check/items', { from: 'run', runId, exampleIds: ['account-en-01', 'account-en-02'] });
    expect(routed.body).toMatchObject({ added: 2 });
    await signIn(keys['alice']!, `${ALICE} · reviewer`);
    await page.goto(`${serve.url}/p/support-bot/review/skip-check`);
    expect(await page.locator('.meta').first().textContent()).toContain('lease 45 min');
    await page.getByRole('link', { name: 'Start reviewing' }).click();
    const first = await shownItem(page);
    expect(first).toBe('account-en-01');
    await page.getByRole('button', { name: 'Skip' }).click();
    const second = await shownItem(page, first ?? undefined);
    expect(second).toBe('account-en-02');
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByRole('heading', { level: 1, name: 'Queue skip-check' }).waitFor();
    const items = (await call(keys['viewer'], 'GET', '/projects/support-bot/review/queues/skip-check/items')).body.items as { exampleId: string; assigned: number }[];
    expect(items.map((i) => [i.exampleId, i.assigned])).toEqual([
      ['account-en-01', 0],
      ['account-en-02', 0],
    ]);
    // Released: alice may take it again; skipped: never offered to her again.
    await page.getByRole('link', { name: 'Start reviewing' }).click();
    expect(await shownItem(page)).toBe('account-en-02');
    await page.getByRole('button', { name: 'Skip' }).click();
    await page.getByRole('heading', { name: 'Queue done' }).waitFor();
    const audit = (await call(keys['owner'], 'GET', '/projects/support-bot/audit')).body;
    expect(JSON.stringify(audit)).toMatch(/review\.skip[\s\S]*review\.release|review\.release[\s\S]*review\.skip/);
    expect(errors).toEqual([]);
    await signOut();
  });
});
