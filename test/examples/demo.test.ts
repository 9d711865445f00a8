/**
 * `npm start` (scripts/demo.mjs), the README's first command: it seeds the demo through the real
 * paths and serves it; the sign-in link it prints opens the UI signed in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from '../support/browser.js';

describe('npm start (the demo)', () => {
  let demo: ChildProcess;
  let output = '';
  let url = '';
  let key = '';
  let link = '';
  const auth = () => ({ headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    demo = spawn(process.execPath, ['scripts/demo.mjs'], { env: { ...process.env, PORT: '0', EVALOPS_DEMO_DIR: mkdtempSync(join(tmpdir(), 'evalops-demo-')) }, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      demo.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /serving the demo at (http:\/\/\S+)\n[^\n]*: (\S+#key=(eo_\S+))/.exec(output);
        if (m) {
          [, url, link, key] = m as unknown as [string, string, string, string];
          resolve();
        }
      });
      demo.once('exit', (code) => reject(new Error(`the demo exited ${code}:\n${output}`)));
    });
  }, 120_000);
  afterAll(() => {
    if (demo.exitCode === null) demo.kill('SIGTERM');
  });

  it('seeds two runs, an approved and a blocked decision, and production traces with feedback', async () => {
    expect(output).toMatch(/\(agent v1\) → gate approved/);
    expect(output).toMatch(/\(agent v2\) → gate blocked/);
    const runs = (await (await fetch(`${url}/api/v1/projects/support-bot/runs`, auth())).json()) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(2);
    const decisions = (await (await fetch(`${url}/api/v1/projects/support-bot/gate-decisions`, auth())).json()) as { decisions: { outcome: string }[] };
    expect(decisions.decisions.map((d) => d.outcome).sort()).toEqual(['approve', 'block']);
    // Release 2.0.0's traces: the ten of the walkthrough's traffic app and the live side of the canary traffic.
    const live = Number(/production traffic: (?:[^\n]*; )?2\.0\.0: (\d+) traces/.exec(output)?.[1]);
    expect(live).toBeGreaterThan(0);
    const traces = (await (await fetch(`${url}/api/v1/projects/support-bot/traces?limit=1000&release=2.0.0`, auth())).json()) as { traces: unknown[] };
    expect(traces.traces).toHaveLength(10 + live);
  });

  it('runs the production loop: the canary drops, the monitor fires, the canary is rolled back, signed webhooks arrive', async () => {
    expect(output).toMatch(/production traffic: 2\.[01]\.0: \d+ traces, \d+ citing the policy; 2\.[01]\.0: \d+ traces/);
    expect(output).toMatch(/alert: cites_policy on canary 2\.1\.0 -\d+\.\d points \(canary-cites-policy\)/);
    expect(output).toMatch(/canary release 2\.1\.0 \(variant [0-9a-f]{12}\): rolled_back \(by monitor:canary-cites-policy\)/);
    expect(output).toMatch(/webhook alert\.opened received, signature valid/);
    expect(output).toMatch(/webhook release\.rollback received, signature valid/);
    const alertUrl = /The canary's alert: (\S+)/.exec(output)?.[1];
    expect(alertUrl).toBeDefined();
    const alerts = (await (await fetch(`${url}/api/v1/projects/support-bot/alerts`, auth())).json()) as { alerts: { id: string; evidence: { rollbackActions?: { to: string }[] } }[] };
    expect(alerts.alerts).toHaveLength(1);
    expect(alertUrl!.endsWith(alerts.alerts[0]!.id)).toBe(true);
    expect(alerts.alerts[0]!.evidence.rollbackActions?.[0]?.to).toBe('rolled_back');
  });

  it('serves each release its config through the resolver, and the rollback moves the canary\'s customers back to 2.0.0', async () => {
    expect(output).toMatch(/release configs stored: 2\.0\.0 and 2\.1\.0/);
    const canary = /resolver: (\d+) of 300 customers get the canary 2\.1\.0 \(local:support-rules-v3\), the rest 2\.0\.0 \(local:support-rules-v2\)/.exec(output);
    expect(canary).not.toBeNull();
    const n = Number(canary![1]);
    // 20% by the sticky hash, within a wide margin for 300 customers.
    expect(n).toBeGreaterThan(30);
    expect(n).toBeLessThan(90);
    // The production traffic followed the resolver: the canary's traces are its customers'.
    expect(Number(/production traffic: [^\n]*2\.1\.0: (\d+) traces/.exec(output)?.[1])).toBeGreaterThan(0);
    const moved = [...output.matchAll(/subject (C-\d+): 2\.1\.0 → 2\.0\.0 after rollback \(model local:support-rules-v2\)/g)].map((m) => m[1]!);
    expect(moved).toHaveLength(3);
    expect(output).toContain(`resolver: ${n} of ${n} canary customers moved back to 2.0.0`);
    // Asked now, the server agrees: those customers get 2.0.0 and its config.
    for (const subject of moved) {
      const res = await fetch(`${url}/api/v1/projects/support-bot/resolve?subject=${subject}`, auth());
      expect(res.status).toBe(200);
      const body = (await res.json()) as { release: { name: string | null; status: string } | null; config: { model?: { id: string } } | null };
      expect(body.release).toMatchObject({ name: '2.0.0', status: 'live' });
      expect(body.config?.model?.id).toBe('local:support-rules-v2');
    }
    const v2 = (await (await fetch(`${url}/api/v1/projects/support-bot/releases/2.1.0/config`, auth())).json()) as { config: { data?: Record<string, unknown> } };
    expect(v2.config.data).toEqual({ regressSpanishRefunds: true });
  });

  it('seeds a review queue that two reviewers labelled, with two disputes left for an owner', async () => {
    const m = /review queue helpfulness-review: (\d+) sampled results labelled by ann@example.com and bo@example.com \(2 disputed\)/.exec(output);
    expect(m).not.toBeNull();
    const n = Number(m![1]);
    const agreement = (await (await fetch(`${url}/api/v1/projects/support-bot/review/queues/helpfulness-review/agreement`, auth())).json()) as { nPairableItems: number; percentAgreement: { value: number }; disagreements: unknown[] };
    expect(agreement.nPairableItems).toBe(n);
    expect(agreement.disagreements).toHaveLength(2);
    expect(agreement.percentAgreement.value).toBeCloseTo((n - 2) / n, 12);
  });

  it('prints a sign-in link that opens the scorecard signed in, and leaves no key in the address bar', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      const errors = watchErrors(page);
      await page.goto(link);
      await page.getByRole('heading', { name: 'Scorecard · support-bot' }).waitFor();
      expect(page.url()).not.toContain('key=');
      expect(await page.getByText('product@example.com · owner').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('stops on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
