import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'bundle', 'main.js');

/**
 * The Quick start's `npx evalops …` in the clone. npm runs a project's own bin by installing the
 * project into a fresh npx cache, which runs `prepare`; `scripts/prepare.mjs` must not rebuild then
 * (a silent 70 s build before the first command). A rebuild would rewrite the CLI bundle, so its
 * modification time is the witness.
 */
describe('npx evalops in the clone', () => {
  it('runs the built CLI without building again', async () => {
    const before = statSync(bundle).mtimeMs;
    const cache = mkdtempSync(join(tmpdir(), 'evalops-npx-cache-'));
    const { stdout } = await promisify(execFile)('npx', ['evalops', '--version'], {
      cwd: root,
      env: { ...process.env, npm_config_cache: cache, npm_config_yes: 'true', npm_config_update_notifier: 'false' },
    });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(statSync(bundle).mtimeMs).toBe(before);
  }, 300_000);
});
