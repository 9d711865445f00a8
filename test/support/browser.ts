import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Debian's Chromium driven by playwright-core, as DESIGN.md asks: headless, no sandbox (tests run as
 * root), and none of Chromium's background traffic, which this machine's closed network refuses.
 */
export const CHROMIUM = process.env['EVALOPS_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Collects console errors and uncaught exceptions of a page; a test asserts the list stays empty. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/**
 * Screenshots go to a temporary folder, or to docs/screenshots (committed, shown in the README) when
 * EVALOPS_UPDATE_SCREENSHOTS=1.
 */
export function screenshotDir(fallback: string): string {
  const dir = process.env['EVALOPS_UPDATE_SCREENSHOTS'] === '1' ? join(process.cwd(), 'docs', 'screenshots') : fallback;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh page of its own context, with a 60 s deadline per action (a deadline for a hung page, not a speed budget) and its console errors collected. */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 860 }): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport })).newPage();
  page.setDefaultTimeout(60_000);
  return { page, errors: watchErrors(page) };
}
