/**
 * A triage agent in one file: a webhook receiver (node:http) that, on a signed `alert.opened`
 * delivery, runs `evalops triage --alert ID --md` against the server and writes the report to a
 * folder (reports/<alert id>.md). The signature is checked as docs/agents.md says — the
 * `evalops-signature` header is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
 * webhook's secret — over the raw body, in constant time, with a 5-minute window against replays.
 *
 *   EVALOPS_WEBHOOK_SECRET=whsec_… EVALOPS_SERVER_URL=http://… EVALOPS_API_KEY=eo_… \
 *     npx tsx examples/triage-agent/triage-agent.ts --port 8787 --project support-bot --out reports
 *
 * The key needs `online:read` (a viewer key); it never writes. Promotion stays a person's decision.
 */
import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface TriageAgentOptions {
  /** The webhook's signing secret (a function when it is known only after the webhook is created). */
  readonly secret: string | (() => string);
  readonly project: string;
  readonly outDir: string;
  /** The command that runs evalops (default: this repository's bin/evalops.js under node). */
  readonly evalops?: readonly string[];
  /** Environment of the triage command: EVALOPS_SERVER_URL and EVALOPS_API_KEY. */
  readonly env?: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly host?: string;
  /** Called after each report is written (or failed), for logs and tests. */
  readonly onReport?: (outcome: { alertId: string; file: string | null; error: string | null }) => void;
}

export interface TriageAgent {
  readonly url: string;
  close(): Promise<void>;
}

const TOLERANCE_SECONDS = 300;
const MAX_BODY = 1024 * 1024;
const DEFAULT_EVALOPS = [process.execPath, fileURLToPath(new URL('../../bin/evalops.js', import.meta.url))];

/** Checks the `evalops-signature` header against the raw body. */
export function verifySignature(header: string | undefined, body: Buffer, secret: string, nowSeconds = Date.now() / 1000): boolean {
  const parts = new Map<string, string[]>();
  for (const p of (header ?? '').split(',')) {
    const eq = p.indexOf('=');
    if (eq > 0) parts.set(p.slice(0, eq).trim(), [...(parts.get(p.slice(0, eq).trim()) ?? []), p.slice(eq + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  if (!t || !/^\d+$/.test(t) || Math.abs(nowSeconds - Number(t)) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${t}.`), body])).digest();
  return (parts.get('v1') ?? []).some((hex) => /^[0-9a-f]{64}$/i.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}

export async function startTriageAgent(options: TriageAgentOptions): Promise<TriageAgent> {
  mkdirSync(options.outDir, { recursive: true });
  const evalops = options.evalops ?? DEFAULT_EVALOPS;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method !== 'POST' || !verifySignature(req.headers['evalops-signature'] as string | undefined, body, typeof options.secret === 'function' ? options.secret() : options.secret)) {
        res.writeHead(401).end('bad signature');
        return;
      }
      // Answer at once (the sender retries slow receivers); triage runs after.
      res.writeHead(204).end();
      let event: { type?: string; data?: { id?: string } };
      try {
        event = JSON.parse(body.toString('utf8')) as typeof event;
      } catch {
        return;
      }
      const alertId = event.data?.id;
      if (event.type !== 'alert.opened' || typeof alertId !== 'string' || !/^[\w-]+$/.test(alertId)) return;
      const [cmd, ...args] = evalops;
      execFile(cmd as string, [...args, 'triage', '--alert', alertId, '--project', options.project, '--md'], { env: { ...process.env, ...options.env }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          options.onReport?.({ alertId, file: null, error: `${error.message}\n${stderr}` });
          return;
        }
        const file = join(options.outDir, `${alertId}.md`);
        writeFileSync(file, stdout);
        options.onReport?.({ alertId, file, error: null });
      });
    });
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${options.host ?? '127.0.0.1'}:${port}/hooks`, close: () => new Promise((ok) => server.close(() => ok())) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' }, project: { type: 'string' }, out: { type: 'string', default: 'reports' } } });
  const secret = process.env['EVALOPS_WEBHOOK_SECRET'];
  if (!secret || !values.project) {
    process.stderr.write('usage: EVALOPS_WEBHOOK_SECRET=… triage-agent.ts --project NAME [--port 8787] [--out reports]\n');
    process.exit(2);
  }
  const agent = await startTriageAgent({ secret, project: values.project, outDir: values.out, port: Number(values.port), onReport: (r) => process.stderr.write(r.file ? `triage report ${r.file}\n` : `triage of ${r.alertId} failed: ${r.error}\n`) });
  process.stderr.write(`triage agent listening on ${agent.url}\n`);
}
