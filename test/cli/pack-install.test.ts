import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './run-cli.js';

/**
 * Install anywhere: the packed tarball (`npm pack`) installed into another folder gives a working
 * `evalops` there (`init`, then `run`). Needs the build (`npm run build`) and the npm cache `npm ci`
 * filled. It takes 3–5 minutes on a busy 2-core machine (better-sqlite3 compiles from source: no
 * network to fetch its prebuilt binary), so it runs when EVALOPS_TEST_PACK=1 and is reported as
 * skipped otherwise.
 */
describe.skipIf(process.env['EVALOPS_TEST_PACK'] !== '1')('the packed CLI in another project (EVALOPS_TEST_PACK=1)', () => {
  it('npm install of the tarball, then evalops init and evalops run, work in an empty folder', () => {
    const packDir = mkdtempSync(join(tmpdir(), 'evalops-pack-'));
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: REPO, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')) ?? 'missing.tgz');
    const tar = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' });
    // What the packed CLI needs at run time: the bundle, the migrations and the web UI.
    for (const file of ['package/bin/evalops.js', 'package/dist/bundle/main.js', 'package/dist/store/migrations/001-initial.js', 'package/dist/web/index.html']) expect(tar.stdout).toContain(file);

    const project = mkdtempSync(join(tmpdir(), 'evalops-elsewhere-'));
    writeFileSync(join(project, 'package.json'), '{ "name": "someone-else", "private": true }\n');
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);

    const bin = join(project, 'node_modules', '.bin', 'evalops');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EVALOPS_') && !k.endsWith('_API_KEY')));
    const init = spawnSync(bin, ['init'], { cwd: project, encoding: 'utf8', env });
    expect(init.status, init.stderr).toBe(0);
    expect(existsSync(join(project, 'evalops.yaml'))).toBe(true);
    const run = spawnSync(bin, ['run', '--json'], { cwd: project, encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', project: expect.any(String) });
    expect(existsSync(join(project, '.evalops', 'evalops.db'))).toBe(true);
  }, 900_000);
});
