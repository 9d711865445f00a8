import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './run-cli.js';

/**
 * Install anywhere: the packed tarball (`npm pack`) installed into another folder gives a working
 * `evalops` there (`init`, then `run`). Needs the build (`npm run build`) and the npm cache that
 * `npm ci` filled.
 *
 * better-sqlite3's install script first fetches a prebuilt binary (prebuild-install) and compiles from
 * source only when that fails; here nothing but loopback is reachable, and compiling takes minutes.
 * So the test serves the binary this clone already has from a loopback mirror, the way a team behind
 * a firewall points `npm_config_better_sqlite3_binary_host` at its own mirror — the install runs the
 * package's real install path. EVALOPS_TEST_PACK=0 skips it.
 */
let mirror: Server | undefined;
let mirrorUrl = '';
let served = 0;

beforeAll(async () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string };
  const dir = mkdtempSync(join(tmpdir(), 'evalops-prebuilt-'));
  const file = `better-sqlite3-v${pkg.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(join(dir, 'stage', 'build', 'Release'), { recursive: true });
  const copy = spawnSync('cp', [join(REPO, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(dir, 'stage', 'build', 'Release')]);
  expect(copy.status).toBe(0);
  const tar = spawnSync('tar', ['czf', join(dir, file), '-C', join(dir, 'stage'), 'build']);
  expect(tar.status).toBe(0);
  const body = readFileSync(join(dir, file));
  mirror = createServer((req, res) => {
    if (req.url === `/v${pkg.version}/${file}`) {
      served += 1;
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => mirror?.listen(0, '127.0.0.1', resolve));
  const address = mirror.address();
  mirrorUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => mirror?.close(resolve));
});

/** Runs a command without blocking the event loop (the mirror answers from this process). */
function exec(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(process.env['EVALOPS_TEST_PACK'] === '0')('the packed CLI in another project', () => {
  it('npm install of the tarball, then evalops init and evalops run, work in an empty folder', async () => {
    const packDir = mkdtempSync(join(tmpdir(), 'evalops-pack-'));
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: REPO, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')) ?? 'missing.tgz');
    const tar = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' });
    // What the packed CLI needs at run time: the bundle, the migrations and the web UI.
    for (const file of ['package/bin/evalops.js', 'package/dist/bundle/main.js', 'package/dist/store/migrations/001-initial.js', 'package/dist/web/index.html']) expect(tar.stdout).toContain(file);

    const project = mkdtempSync(join(tmpdir(), 'evalops-elsewhere-'));
    writeFileSync(join(project, 'package.json'), '{ "name": "someone-else", "private": true }\n');
    const install = await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', tarball], { cwd: project, env: { ...process.env, npm_config_better_sqlite3_binary_host: mirrorUrl } });
    expect(install.status, install.stderr).toBe(0);
    // The package's own install script fetched the prebuilt binary from the mirror (no compiler run).
    expect(served).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(project, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);

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
