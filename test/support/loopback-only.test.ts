import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runNode } from '../cli/run-cli.js';

const GUARD = { NODE_OPTIONS: `--import=${join(REPO, 'test/support/loopback-only.mjs')}` };

describe('loopback-only preload', () => {
  it('refuses a connection beyond loopback, says so on stderr, and lets a loopback request through', async () => {
    const server = createServer((_req, res) => res.end('near'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const script = [
      `const far = await fetch('http://192.0.2.10:81/').then(() => 'reached', (e) => e.cause?.code);`,
      `const near = await (await fetch('http://127.0.0.1:${port}/')).text();`,
      `console.log(JSON.stringify({ far, near }));`,
    ].join('\n');
    try {
      const res = await runNode(['--input-type=module', '-e', script], { env: GUARD });
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ far: 'ECONNREFUSED', near: 'near' });
      expect(res.stderr).toContain('loopback-only: blocked a connection to 192.0.2.10:81');
    } finally {
      server.close();
    }
  });
});
