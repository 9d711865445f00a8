/**
 * `npm start`: the living demo. Seeds a fresh project through the real paths — two runs of the
 * support-bot agent (v1, then v2 which regresses on Spanish refunds), a gate decision on each (v1
 * approved as the first baseline, v2 blocked), the two releases' configs (prompt, model, data) that
 * the production app reads through the resolver, production traces of v2 sent over OTLP by the
 * OpenTelemetry-instrumented app with the customers' feedback, a review queue for the judge metric
 * labelled by two reviewers over the API — then serves it all and prints the URL and a sign-in link.
 * Ctrl-C stops the server.
 *
 *   npm start                   # http://127.0.0.1:8787
 *   PORT=9000 npm start
 *
 * The database is `.evalops/demo.db`, made afresh on every start (your own `.evalops/evalops.db` is
 * not touched; EVALOPS_DEMO_DIR puts both elsewhere). The server's log goes to `.evalops/demo-serve.log`.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const state = process.env.EVALOPS_DEMO_DIR ?? join(root, '.evalops');
const db = join(state, 'demo.db');
mkdirSync(state, { recursive: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });

const env = { ...process.env, EVALOPS_DATABASE_URL: `sqlite:${db}`, EVALOPS_ACTOR: 'demo@example.com', EVALOPS_SERVER_URL: '' };
const bin = join(root, 'bin', 'evalops.js');
const say = (line) => process.stdout.write(`${line}\n`);

/** Runs a CLI command to the end; its --json document, parsed. Exit codes other than `ok` fail the demo. */
function cli(args, ok = [0]) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (ok.includes(code) ? resolve(JSON.parse(out)) : reject(new Error(`evalops ${args.join(' ')} exited ${code}\n${err}`))));
  });
}

const outcome = (d) => ({ approve: 'approved', block: 'blocked', require_approval: 'needs an owner', narrow: 'narrowed' })[d.outcome] ?? d.outcome;

say('EvalOps demo: seeding .evalops/demo.db through the CLI and OTLP…');
const v1 = await cli(['run', '-c', 'examples/support-bot/evalops.yaml', '--release', '2.0.0', '--json']);
const g1 = await cli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], [0, 1, 3]);
say(`  run ${v1.runId} (agent v1) → gate ${outcome(g1)}`);
const v2 = await cli(['run', '-c', 'examples/support-bot/evalops.v2.yaml', '--release', '2.1.0', '--json']);
const g2 = await cli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], [0, 1, 3]);
say(`  run ${v2.runId} (agent v2) → gate ${outcome(g2)}`);
// What each release serves: its config (prompt, model, data), the same file its agent answers with
// offline. The production app reads it through the resolver, never from its own code.
for (const release of ['2.0.0', '2.1.0']) await cli(['releases', 'config', 'set', release, '--file', `examples/support-bot/releases/${release}.json`, '--project', 'support-bot', '--json']);
say('  release configs stored: 2.0.0 and 2.1.0 (prompt, model, data); the app reads its own through the resolver');
const owner = await cli(['keys', 'create', '--role', 'owner', '--project', 'support-bot', '--name', 'product@example.com', '--json']);
const ingest = await cli(['keys', 'create', '--role', 'ingest', '--project', 'support-bot', '--name', 'support-bot-prod', '--json']);
const resolveKey = await cli(['keys', 'create', '--role', 'resolve', '--project', 'support-bot', '--name', 'support-bot-resolver', '--json']);

const log = openSync(join(state, 'demo-serve.log'), 'w');
const server = spawn(process.execPath, [bin, 'serve', '--port', process.env.PORT ?? '8787', '--allow-private-webhooks'], { cwd: root, env, stdio: ['ignore', 'pipe', log] });
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => {
    const m = /http:\/\/[^\s]+/.exec(String(d));
    if (m) resolve(m[0]);
  });
  server.once('exit', (code) => reject(new Error(`evalops serve exited ${code}; see .evalops/demo-serve.log`)));
});

await new Promise((resolve, reject) => {
  const traffic = spawn(process.execPath, ['--import', 'tsx', 'examples/support-bot/traffic.ts', '--endpoint', url], { cwd: root, env: { ...env, EVALOPS_API_KEY: ingest.secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  traffic.stdout.on('data', (d) => process.stdout.write(`  ${d}`));
  traffic.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the traffic app exited ${code}`))));
});

// Human review through the API, as two reviewers would do it in the UI: a queue for the judge metric,
// a 10% sample of v2's results, both reviewers labelling (they disagree on two items, left for an owner).
const reviewers = ['ann@example.com', 'bo@example.com'];
const reviewerKeys = [];
for (const name of reviewers) reviewerKeys.push((await cli(['keys', 'create', '--role', 'reviewer', '--project', 'support-bot', '--name', name, '--json'])).secret);
const api = async (key, path, body) => {
  const res = await fetch(`${url}/api/v1/projects/support-bot${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
};
await api(owner.secret, '/review/queues', {
  name: 'helpfulness-review',
  metric: 'helpfulness',
  rubric: { labels: [{ label: 'poor', definition: 'misses the question or the policy' }, { label: 'adequate', definition: 'answers it, names the policy' }, { label: 'excellent', definition: 'answers it fully and kindly, with the next step' }], pass: ['adequate', 'excellent'], ordinal: true },
  reviewers,
  reviewersPerItem: 2,
});
const routed = await api(owner.secret, '/review/queues/helpfulness-review/items', { from: 'run', runId: v2.runId, sampleRate: 0.1 });
let disagreements = 0;
for (const [r, key] of reviewerKeys.entries()) {
  for (;;) {
    const { item } = await api(key, '/review/queues/helpfulness-review/next');
    if (item === null) break;
    let label = item.checks.cites_policy === false ? 'poor' : item.slices.includes('lang:es') ? 'adequate' : 'excellent';
    if (r === 1 && disagreements < 2) (label = label === 'excellent' ? 'adequate' : 'excellent'), disagreements++; // bo disagrees on his first two items
    await api(key, `/review/queues/helpfulness-review/items/${item.id}/labels`, { label, seconds: 25 + (item.position % 5) * 7 });
  }
}
say(`  review queue helpfulness-review: ${routed.added} sampled results labelled by ${reviewers.join(' and ')} (${disagreements} disputed)`);

// Production: v1 is live, v2 goes out as a 20% canary on a release manager's override (the gate held
// it). Both answer customers over OTLP; the canary stops citing the refund policy in a third of its
// answers. The online rule scores half the traces, the canary monitor fires, the rollback rule moves
// the canary back, and the signed webhooks reach a local receiver (a stand-in for the deploy system).
// The release manager is a gate admin in a copy of the config (the example's own names none).
const adminConfig = join(state, 'evalops.release-manager.yaml');
writeFileSync(
  adminConfig,
  readFileSync(join(root, 'examples/support-bot/evalops.yaml'), 'utf8')
    .replace('baseline: last-approved', 'baseline: last-approved\n  admins: [release-manager@example.com]')
    .replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${join(root, 'examples/support-bot')}/$1`),
);
const admin = ['--actor', 'release-manager@example.com', '-c', adminConfig];
const evidence = ['--evidence', 'https://example.com/tickets/REL-42'];
if (g1.outcome !== 'approve') await cli(['gate', 'override', g1.decisionId, '--reason', 'v1 is the current production agent', ...evidence, ...admin, '--json']);
// Releases are named by the runs (`evalops run --release 2.0.0`); the app stamps the same names on its spans.
const liveRelease = await cli(['releases', 'show', '2.0.0', '--project', 'support-bot', '--json']);
if (liveRelease.status !== 'live') await cli(['releases', 'promote', '2.0.0', '--project', 'support-bot', '--actor', 'release-manager@example.com', '--json']);
await cli(['gate', 'override', g2.decisionId, '--outcome', 'narrow', '--percent', '20', '--reason', 'canary v2 on 20% of traffic to see the Spanish refunds in production', ...evidence, ...admin, '--json']);
await cli(['online', 'apply', 'examples/support-bot/online.yaml', '--project', 'support-bot', '--json']);
await cli(['releases', 'rollback-rule', 'add', '2.1.0', '--monitor', 'canary-cites-policy', '--project', 'support-bot', '--json']);
const deliveries = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    deliveries.push({ event: req.headers['evalops-event'], signature: String(req.headers['evalops-signature'] ?? ''), body });
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hook = await cli(['webhooks', 'create', '--name', 'deploy-system', '--url', `http://127.0.0.1:${receiver.address().port}/evalops`, '--events', 'alert.opened,release.rollback', '--project', 'support-bot', '--json']);
// The demo asks the resolver, as the app does, which release each of the app's 300 customers gets.
const { createResolver } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
const resolver = createResolver({ url, key: resolveKey.secret, project: 'support-bot', refreshMs: 1000, stampSpans: false });
await resolver.refresh();
const subjects = Array.from({ length: 300 }, (_, i) => `C-${i}`);
const onCanary = subjects.filter((s) => resolver.resolve(s).release === '2.1.0');
say(`  resolver: ${onCanary.length} of ${subjects.length} customers get the canary 2.1.0 (${resolver.resolve(onCanary[0] ?? 'C-0').config?.model?.id}), the rest 2.0.0 (${resolver.resolve(subjects.find((s) => !onCanary.includes(s)) ?? 'C-0').config?.model?.id})`);
await new Promise((resolve, reject) => {
  const traffic = spawn(process.execPath, ['--import', 'tsx', 'examples/support-bot/canary-traffic.ts', '--endpoint', url, '--traces', '800', '--live', '2.0.0', '--canary', '2.1.0'], { cwd: root, env: { ...env, EVALOPS_API_KEY: ingest.secret, EVALOPS_RESOLVE_KEY: resolveKey.secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  traffic.stdout.on('data', (d) => process.stdout.write(`  production traffic: ${d}`));
  traffic.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the canary traffic exited ${code}`))));
});
let alert;
for (let i = 0; i < 300 && !alert; i++) {
  alert = (await cli(['alerts', 'list', '--project', 'support-bot', '--json'])).alerts[0];
  if (!alert) await new Promise((r) => setTimeout(r, 200));
}
if (!alert) throw new Error('the canary monitor did not fire');
say(`  alert: ${alert.title}`);
const rolled = await cli(['releases', 'show', '2.1.0', '--project', 'support-bot', '--json']);
say(`  canary release ${rolled.name} (variant ${rolled.variant.slice(0, 12)}): ${rolled.status} (by ${rolled.history.at(-1)?.actor})`);
// The rollback acts through the resolver: the canary's customers get 2.0.0 and its config again.
let stillOnCanary = onCanary;
for (let i = 0; i < 100 && stillOnCanary.length > 0; i++) {
  await resolver.refresh();
  stillOnCanary = onCanary.filter((s) => resolver.resolve(s).release === '2.1.0');
  if (stillOnCanary.length > 0) await new Promise((r) => setTimeout(r, 100));
}
resolver.close();
for (const s of onCanary.slice(0, 3)) say(`  subject ${s}: 2.1.0 → ${resolver.resolve(s).release} after rollback (model ${resolver.resolve(s).config?.model?.id})`);
say(`  resolver: ${onCanary.length - stillOnCanary.length} of ${onCanary.length} canary customers moved back to 2.0.0`);
for (let i = 0; i < 100 && deliveries.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
for (const d of deliveries) {
  const [, t, v1sig] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(d.signature) ?? [];
  const valid = v1sig !== undefined && createHmac('sha256', hook.secret).update(`${t}.${d.body}`).digest('hex') === v1sig;
  say(`  webhook ${d.event} received, signature ${valid ? 'valid' : 'INVALID'}`);
}

say('');
say(`EvalOps is serving the demo at ${url}`);
say(`Sign in as the owner of cites_policy (product@example.com): ${url}/#key=${owner.secret}`);
say(`The canary's alert: ${url}/p/support-bot/alerts/${alert.id}`);
say('Ctrl-C stops it.');
