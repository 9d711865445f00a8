/**
 * The web UI under its Content-Security-Policy, in Debian's Chromium against a real `evalops serve`:
 * a walk of the main pages reports no CSP violation (listened for with `securitypolicyviolation`,
 * and no console error), and the sign-in is an opaque server-side session — the cookie is not the
 * key; signing out, and revoking the key, end access at once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { launchBrowser, watchErrors } from '../support/browser.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';

/** Installed before any page script: every CSP violation of the page, as text, in window.__csp. */
const LISTEN_FOR_VIOLATIONS = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
`;

describe('the web UI under its CSP, with opaque sessions (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-csp-ui-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let server: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[] = [];
  let key = '';
  const runIds: string[] = [];

  beforeAll(async () => {
    for (const config of ['evalops.yaml', 'evalops.v2.yaml']) {
      const run = await runCli(['run', '-c', `examples/support-bot/${config}`, '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      runIds.push(JSON.parse(run.stdout).runId);
      await runCli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    }
    const created = await runCli(['keys', 'create', '--role', 'owner', '--project', 'support-bot', '--name', 'product@example.com', '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    key = JSON.parse(created.stdout).plaintext;
    server = await startServe(env);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
    await context.addInitScript(LISTEN_FOR_VIOLATIONS);
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  const violations = (): Promise<string[]> => page.evaluate<string[]>('window.__csp');
  const sessionCookie = async (): Promise<string | undefined> => (await context.cookies()).find((c) => c.name === 'evalops_session')?.value;

  async function signIn(): Promise<void> {
    await page.goto(server.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Scorecard · support-bot' }).waitFor();
  }

  it('signs in with a key and keeps only an opaque session id in the cookie', async () => {
    await signIn();
    const cookie = await sessionCookie();
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toBe(key);
    expect(cookie).not.toContain('eo_');
    expect(await violations()).toEqual([]);
  });

  it('walks the main pages without a single CSP violation or console error', async () => {
    const p = '/p/support-bot';
    const pages = [
      '/',
      p,
      `${p}/runs`,
      `${p}/runs/${runIds[1]}`,
      `${p}/compare?baseline=${runIds[0]}&candidate=${runIds[1]}`,
      `${p}/trends`,
      `${p}/datasets`,
      `${p}/decisions`,
      `${p}/releases`,
      `${p}/traces`,
      `${p}/sessions`,
      `${p}/review`,
      `${p}/judges`,
      `${p}/alerts`,
      `${p}/online`,
      `${p}/monitors`,
      `${p}/audit`,
    ];
    const seen: Record<string, string[]> = {};
    for (const path of pages) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      const found = await violations();
      if (found.length > 0) seen[path] = found;
    }
    expect(seen).toEqual({});
    expect(errors).toEqual([]);
  });

  it('would see a violation if there were one (the listener works)', async () => {
    await page.evaluate(`{ const s = document.createElement('style'); s.textContent = 'body { color: red }'; document.head.append(s); }`);
    await expect.poll(violations).toEqual([expect.stringMatching(/^style-src/)]);
    errors.length = 0; // the console reports the refused style too
  });

  it('ends access when signing out: the old cookie no longer works', async () => {
    await page.goto(`${server.url}/p/support-bot`);
    const cookie = await sessionCookie();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await sessionCookie()).toBeUndefined();
    const replayed = await fetch(`${server.url}/api/v1/projects/support-bot/runs`, { headers: { cookie: `evalops_session=${cookie}` } });
    expect(replayed.status).toBe(401);
  });

  it('ends access when the key is revoked: the next page load asks for a key', async () => {
    await signIn();
    const cookie = await sessionCookie();
    const revoked = await runCli(['keys', 'revoke', key.split('_')[1]!, '--json'], { env });
    expect(revoked.code, revoked.stderr).toBe(0);
    await page.goto(`${server.url}/p/support-bot/runs`);
    await page.getByLabel('API key').waitFor();
    const replayed = await fetch(`${server.url}/api/v1/projects/support-bot/runs`, { headers: { cookie: `evalops_session=${cookie}` } });
    expect(replayed.status).toBe(401);
    expect(await violations()).toEqual([]);
  });
});
