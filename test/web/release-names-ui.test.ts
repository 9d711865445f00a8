/**
 * Release names in the web UI: the real `evalops serve` on SQLite, a release named by its run's name,
 * production spans stamped with that name and with a name no release has, driven in Debian's
 * Chromium. The release list shows the names and counts the unknown ones; an unknown name opens its
 * traces; a release's page is titled by its name — with no console error on the way.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, openPage } from '../support/browser.js';

const PROJECT = 'names-ui';

/** One root span per release name, as OTLP JSON. */
function spans(now: number, releases: readonly string[]) {
  const ns = (ms: number): string => String(BigInt(Math.round(ms)) * 1_000_000n);
  return {
    resourceSpans: releases.map((release, i) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'support-bot' } }, { key: 'service.version', value: { stringValue: release } }] },
      scopeSpans: [{ spans: [{ traceId: `ef${String(i + 1).padStart(30, '0')}`, spanId: `12${String(i + 1).padStart(14, '0')}`, name: 'answer', kind: 2, startTimeUnixNano: ns(now - 60_000 - i * 1000), endTimeUnixNano: ns(now - 60_000 - i * 1000 + 200), attributes: [{ key: 'openinference.span.kind', value: { stringValue: 'AGENT' } }] }] }],
    })),
  };
}

describe('release names in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-names-ui-'));
  const url = `sqlite:${join(dir, 'db.sqlite')}`;
  const env = { EVALOPS_DATABASE_URL: url, EVALOPS_ACTOR: 'ci@example.com' };
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let viewer = '';

  beforeAll(async () => {
    const ingest = await createKeyLocally(env, ['--role', 'ingest', '--project', PROJECT, '--name', 'app']);
    viewer = await createKeyLocally(env, ['--role', 'viewer', '--project', PROJECT, '--name', 'pm@example.com']);
    const store = await openStore(url);
    const project = await store.projects.ensure(PROJECT);
    await store.releases.bindName(project.id, 'a1b2c3d4e5f6a7b8', '2.1.0', 'ci@example.com');
    await store.releases.bindName(project.id, 'a1b2c3d4e5f6a7b8', 'git-3f9c2e1', 'ci@example.com');
    await store.close();
    serve = await startServe(env);
    const sent = await fetch(`${serve.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' }, body: JSON.stringify(spans(Date.now(), ['2.1.0', '2.2.0-rc1', '2.2.0-rc1', 'a1b2c3d4e5f6a7b8'])) });
    expect(sent.status, await sent.text()).toBe(200);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('lists releases with their names and counts the names no release has', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/releases`);
    await page.getByLabel('API key').fill(viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const grid = page.getByRole('grid', { name: 'Releases' });
    await grid.waitFor();
    expect(await grid.getByRole('row').nth(1).textContent()).toContain('2.1.0, git-3f9c2e1');
    const unknown = page.getByRole('grid', { name: 'Unknown release names' });
    await unknown.waitFor();
    expect(await page.getByRole('heading', { name: /Unknown releases/ }).textContent()).toMatch(/Unknown releases\s*1$/);
    const row = await unknown.getByRole('row').nth(1).textContent();
    expect(row).toContain('2.2.0-rc1');
    expect(row).toMatch(/2\.2\.0-rc1\s*2\s*2/); // two traces, two spans
  });

  it('opens the traces of an unknown name, and a release titled by its name', async () => {
    await page.getByRole('link', { name: '2.2.0-rc1' }).click();
    const traces = page.getByRole('grid', { name: 'Traces' });
    await traces.waitFor();
    await page.waitForFunction('document.querySelectorAll(\'[role=grid][aria-label="Traces"] [role=row]\').length === 3');
    expect(page.url()).toContain('release=2.2.0-rc1');
    await page.goto(`${serve.url}/p/${PROJECT}/releases/2.1.0`);
    const title = page.getByRole('heading', { level: 1 });
    await title.waitFor();
    expect(await title.textContent()).toMatch(/^Release 2\.1\.0 · variant/);
    expect(await page.locator('.meta').first().textContent()).toContain('also named git-3f9c2e1');
    expect(errors).toEqual([]);
  });
});
