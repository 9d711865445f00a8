/**
 * The `evalops` CLI. Each command lives in its own file under commands/ and is imported only when
 * it runs, so `evalops --version` stays fast.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerReviewCommands } from './review-program.js';
import { registerOnlineCommands } from './online-program.js';
import { registerWebhookCommands } from './webhooks-program.js';
import { registerReleaseConfigCommands } from './release-config-program.js';
import { applyDataFlags } from './common-flags.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('evalops')
  .description('AI evaluation as release control')
  .version(pkg.version, '-V, --version')
  .showHelpAfterError()
  .enablePositionalOptions()
  .exitOverride();

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

program
  .command('init')
  .description('scaffold an EvalOps project in the current directory')
  .option('--dir <dir>', 'directory to scaffold', '.')
  .option('--force', 'overwrite existing files')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/init-command.js')).initCommand(opts));

program
  .command('run')
  .description('run the target over the dataset, score every output and store the run (local only: the run is made on this machine and stored in EVALOPS_DATABASE_URL or .evalops/evalops.db; there is no --server)')
  .option('-c, --config <file>', 'config file (default: evalops.yaml or evalops.config.ts in the current directory)')
  .option('--repeat <n>', 'trials per example')
  .option('--concurrency <n>', 'calls in flight at once')
  .option('--no-cache', 'call the target even when a cached response exists')
  .option('--label <k=v>', 'label the run (repeatable)', collect)
  .option('--release <name>', 'name the release of this variant (2.1.0, a git SHA, an image tag; overrides `release:` in the config); a name bound to another variant exits 2')
  .option('--subset <name>', "run on the config's stratified subset of this name (subsets: in the config), e.g. on pull requests")
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/run-command.js')).runCommand(opts));

const runs = program.command('runs').description('stored runs');
runs
  .command('list')
  .description('list runs, newest first')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--limit <n>', 'how many', '20')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/runs-command.js')).runsListCommand(opts));
runs
  .command('show <runId>')
  .description('one run: scorecard, and with --results its results')
  .option('--results', 'include per-example results and scores')
  .option('--failures', 'only results with a failed or errored metric or an error')
  .option('--limit <n>', 'results to show', '50')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (runId: string, opts) => (await import('./commands/runs-command.js')).runsShowCommand(runId, opts));

const datasets = program.command('datasets').description('dataset versions');
datasets
  .command('import <file>')
  .description('import a JSONL, CSV, JSON or YAML file as a new dataset version')
  .requiredOption('--name <name>', 'dataset name')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (file: string, opts) => (await import('./commands/datasets-command.js')).datasetsImportCommand(file, opts));
datasets
  .command('list')
  .description('datasets with their latest version')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/datasets-command.js')).datasetsListCommand(opts));
datasets
  .command('show <name>')
  .description('a dataset version and its examples (newest version unless --version)')
  .option('--version <hash>', 'version hash or prefix')
  .option('--limit <n>', 'examples to show', '20')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--offset <n>', 'examples to skip (the next page)')
  .option('--weeks <n>', "weeks of production traffic in the slices' staleness (default 4; in --json only when given)")
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (name: string, opts) => (await import('./commands/datasets-command.js')).datasetsShowCommand(name, opts));
datasets
  .command('coverage <name>')
  .description("how well the dataset covers production: traffic per slice (evalops.slice.* span attributes or coverage.attributes) vs examples, the share in slices with too few, the top uncovered slices with traces to promote, staleness per slice")
  .option('--version <hash>', 'version hash or prefix (default the newest)')
  .option('--days <n>', "window of traces (default coverage.days or 7)")
  .option('--min-examples <k>', 'examples a slice needs to count as covered (default coverage.minExamples or 5)')
  .option('--top <n>', 'uncovered slices to list (default 10)')
  .option('--clusters', 'also cluster what users ask (sampled traces and the examples together) and show the clusters the dataset does not cover')
  .option('--max-traces <n>', 'traces sampled for --clusters (10..5000, default 2000)')
  .option('--seed <n>', 'seed of the --clusters sample and clustering (default 1)')
  .option('--max-clusters <n>', 'at most this many --clusters clusters (2..100, default 50)')
  .option('-c, --config <file>', 'config file naming the project and its coverage: mapping')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (name: string, opts) => (await import('./commands/datasets-coverage-command.js')).datasetsCoverageCommand(name, opts));
datasets
  .command('diff <name> <from> <to>')
  .description('added, removed and changed examples between two versions')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (name: string, from: string, to: string, opts) => (await import('./commands/datasets-command.js')).datasetsDiffCommand(name, from, to, opts));

program
  .command('compare <baseline> <candidate>')
  .description('paired comparison of two runs: per metric and slice, delta with 95% interval, Holm-adjusted p, verdict')
  .option('--common-examples', 'compare runs of different dataset versions on the examples they share')
  .option('--slices', 'show every slice, not only those that moved')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (baseline: string, candidate: string, opts) => (await import('./commands/compare-command.js')).compareCommand(baseline, candidate, opts));

program
  .command('plan')
  .description('what the gate can see: the minimum detectable drop per noRegression rule and slice, and the rules that cannot fire')
  .option('-c, --config <file>', 'config file with the gate: rules')
  .option('--drop <rate>', 'a drop in pass rate (e.g. 0.05 for 5 points): how many examples each test needs to detect it')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/plan-command.js')).planCommand(opts));

const gate = program
  .command('gate')
  .description('release decision for CI: exit 0 approve, 1 block, 3 require approval or narrow')
  .option('-c, --config <file>', 'config file with the gate: rules')
  .option('--policy <file>', 'gate policy in its own YAML file (replaces the config\'s gate: section)')
  .option('--candidate <runId>', 'run to gate (default: the newest completed run)')
  .option('--baseline <runId>', 'run to compare with (default: gate.baseline, i.e. the last approved run)')
  .option('--common-examples', 'allow a baseline of another dataset version, compared on shared examples')
  .option('--mode <mode>', 'pr: gate a subset run, blocking only on effects the subset can detect (default for a run made with --subset); full: the whole dataset')
  .option('--markdown <file>', 'write the decision as a Markdown PR comment')
  .option('--junit <file>', 'write one JUnit test case per rule')
  .option('--actor <who>', 'who asks (default: EVALOPS_ACTOR, git user.email, OS user)')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/gate-command.js')).gateCommand(opts));
gate
  .command('override <decisionId>')
  .description('override a decision: owners of every failed metric, or gate.admins; reason and evidence required')
  .requiredOption('--reason <text>', 'why the decision is overridden')
  .requiredOption('--evidence <url>', 'link to the evidence (dashboard, review, ticket)')
  .option('--outcome <outcome>', 'approve (default) or narrow')
  .option('--percent <p>', 'rollout percentage with --outcome narrow')
  .option('-c, --config <file>', 'config file')
  .option('--actor <who>', 'who overrides (default: EVALOPS_ACTOR, git user.email, OS user)')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (decisionId: string, opts) => (await import('./commands/gate-command.js')).gateOverrideCommand(decisionId, opts));
gate
  .command('list')
  .description('gate decisions of the project, newest first, with the outcome in force after overrides')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--limit <n>', 'how many', '20')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/gate-command.js')).gateListCommand(opts));
gate
  .command('show <decisionId>')
  .description('a recorded decision with its overrides; --markdown / --junit write its reports again')
  .option('--markdown <file>', 'write the decision as a Markdown PR comment')
  .option('--junit <file>', 'write one JUnit test case per rule')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (decisionId: string, opts) => (await import('./commands/gate-command.js')).gateShowCommand(decisionId, opts));

const releases = program.command('releases').description('releases: a variant on its way out (candidate → approved → canary → live → rolled_back)');
releases
  .command('list')
  .description('releases of the project, most recently changed first')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--status <status>', 'only releases in this status (candidate, approved, canary, live, rolled_back)')
  .option('--limit <n>', 'how many', '100')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/releases-command.js')).releasesListCommand(opts));
releases
  .command('show <release>')
  .description('one release (by id, name, variant or variant prefix) with its history from the audit log')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (ref: string, opts) => (await import('./commands/releases-command.js')).releasesShowCommand(ref, opts));
releases
  .command('promote <release>')
  .description('widen the rollout: to a canary percentage, or live (no --percent, or 100)')
  .option('--percent <p>', 'canary share of traffic, 1..100 (100 = live)')
  .option('--actor <who>', 'who is acting (default: EVALOPS_ACTOR, git user.email, OS user)')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (ref: string, opts) => (await import('./commands/releases-command.js')).releasesPromoteCommand(ref, opts));
releases
  .command('rollback <release>')
  .description('roll an approved, canary or live release back')
  .requiredOption('--reason <text>', 'why (recorded in the audit log)')
  .option('--actor <who>', 'who is acting (default: EVALOPS_ACTOR, git user.email, OS user)')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (ref: string, opts) => (await import('./commands/releases-command.js')).releasesRollbackCommand(ref, opts));
releases
  .command('name <release> <name>')
  .description('give a release (by id, name or variant) another name, e.g. its git SHA; a name bound to another variant exits 2')
  .option('--actor <who>', 'who is acting (default: EVALOPS_ACTOR, git user.email, OS user)')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (ref: string, name: string, opts) => (await import('./commands/releases-command.js')).releasesNameCommand(ref, name, opts));
releases
  .command('unknown')
  .description('release names that spans carry and no release knows (the spans are stored; name a release or fix the stamp)')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--limit <n>', 'how many', '100')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/releases-command.js')).releasesUnknownCommand(opts));

registerReleaseConfigCommands(releases);

const audit = program.command('audit').description('the append-only, hash-chained audit log');
audit
  .command('list')
  .description('the newest entries, oldest first (or, with --after SEQ, the entries after it)')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--limit <n>', 'how many', '50')
  .option('--after <seq>', 'entries after this position')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/audit-command.js')).auditListCommand(opts));
audit
  .command('verify')
  .description('recompute the hash chain: exit 0 when intact, 1 when an entry was edited, deleted or reordered')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/audit-command.js')).auditVerifyCommand(opts));

program
  .command('scorecard')
  .description('every metric with owner, failure class, lifecycle, current value, trend and what it gates')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--runs <n>', 'runs in the trend', '5')
  .option('--project <name>', 'project name (default: the config\'s)')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/scorecard-command.js')).scorecardCommand(opts));
program
  .command('metrics')
  .description('metric lifecycle')
  .command('lifecycle')
  .description('recommended lifecycle transitions (capability → regression → saturated) from recent runs')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--runs <n>', 'runs the rules look at', '5')
  .option('--project <name>', 'project name (default: the config\'s)')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/scorecard-command.js')).metricsLifecycleCommand(opts));

const keys = program.command('keys').description('API keys of the server: a project and a role each, stored hashed, shown once');
keys
  .command('create')
  .description('create a key and print it once (audited)')
  .requiredOption('--role <role>', 'ingest, viewer, reviewer, engineer, owner or admin')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project of the key (default: the config\'s; created if missing)')
  .option('--instance', 'an instance-wide admin key, for every project')
  .option('--name <name>', 'a label saying what the key is for')
  .option('--actor <who>', 'who creates it (default: EVALOPS_ACTOR, git user.email, OS user)')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/keys-command.js')).keysCreateCommand(opts));
keys
  .command('list')
  .description('keys with role, project, name, creation, last use and revocation, newest first (never the secret)')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'only the keys of this project (default: the config\'s; without either, every key)')
  .option('--instance', 'only instance-wide keys')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/keys-command.js')).keysListCommand(opts));
keys
  .command('revoke <key>')
  .description('revoke a key, by prefix, eo_<prefix> or id, for good (audited)')
  .option('--actor <who>', 'who revokes it (default: EVALOPS_ACTOR, git user.email, OS user)')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (ref: string, opts) => (await import('./commands/keys-command.js')).keysRevokeCommand(ref, opts));

program
  .command('generate')
  .description('new inputs around a slice, a persona or a failure cluster, from a model: near-duplicates removed, put in a review queue; --commit QUEUE adds the accepted ones to a dataset version')
  .option('-c, --config <file>', 'config file (project, dataset, providers, models.generate)')
  .option('--slice <slice>', 'generate around the examples of this slice (e.g. intent:refund)')
  .option('--persona <text>', 'generate inputs this user persona would write')
  .option('--cluster-file <file>', 'generate around a failure cluster: JSON { name, items: [{ input, output?, reason? }] }')
  .option('-n, --count <n>', 'distinct new inputs wanted (default 10)')
  .option('--model <provider:model>', 'the model (default models.generate, else models.judge)')
  .option('--queue <name>', 'review queue to put them in (default generated-DATASET; created with labels accept/reject)')
  .option('--threshold <jaccard>', 'token Jaccard at or above which two inputs are near-duplicates (default 0.8)')
  .option('--max-usd <usd>', 'spending cap for the model calls (default 1; 0 is refused)')
  .option('--batch <n>', 'inputs asked per call (default 10)')
  .option('--commit <queue>', 'instead: add the accepted items of this generation queue to a dataset version')
  .option('--dataset <name>', 'with --commit: the dataset (default the config\'s, when it is stored rather than read from a file)')
  .option('--actor <who>', 'who generates (default EVALOPS_ACTOR, git user.email, OS user)')
  .option('--server <url>', 'keep the queue and the dataset on an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY); the model is still called from here')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/generate-command.js')).generateCommand(opts));

const rubric = program.command('rubric').description('judge rubrics');
rubric
  .command('draft <metric>')
  .description("draft a judge rubric from the metric's gold set with a model, calibrated at once on a held-out part (Cohen's kappa with its 95% interval); written to the rubric file only with --accept. Exit 0 calibrated, 3 not")
  .option('-c, --config <file>', 'config file with the judge metric')
  .option('--model <provider:model>', 'the model that writes the draft (default models.generate, else models.judge); the judge keeps its own')
  .option('--holdout <share>', 'share of the gold items held out for calibration (default 0.5)')
  .option('--seed <seed>', 'seed of the split (default 1)')
  .option('--accept', "write the draft to the metric's rubric file")
  .option('--server <url>', "read the metric's gold set from an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)")
  .option('--json', 'print one JSON document')
  .action(async (metric: string, opts) => (await import('./commands/rubric-command.js')).rubricDraftCommand(metric, opts));

program
  .command('mcp')
  .description('an MCP server on stdio for coding agents: the API operations as tools, limited by the API key\'s role and project (docs/agents.md)')
  .option('--key <key>', 'API key (default EVALOPS_API_KEY; prefer the variable: a flag shows in the process list)')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL)')
  .option('--project <name>', 'the project tools act on when a call names none (default: the key\'s project)')
  .option('--read-only', 'offer only the tools that read, whatever the key\'s role')
  .option('--list-tools', 'print the tools this key is offered (JSON) and exit')
  .action(async (opts) => (await import('./commands/mcp-command.js')).mcpCommand(opts, pkg.version));

program
  .command('serve')
  .description('the server: OTLP trace ingest (POST /v1/traces) and the JSON API on EVALOPS_DATABASE_URL')
  .option('--port <port>', 'port (default $PORT or 8787; 0 picks a free one)')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--redact <rules>', 'redaction before spans are stored: on by default for api_key, private_key, credit_card; a comma-separated list adds to them (e.g. email), none turns it off (or EVALOPS_REDACT)')
  .option('--worker', 'run the background worker in the server (the default on SQLite)')
  .option('--no-worker', 'do not run the background worker in the server')
  .option('-c, --config <file>', "config whose providers the in-server worker's judges and the playground use (and whose deterministic metrics score playground runs)")
  .option('--concurrency <n>', 'scoring jobs the in-server worker runs at once', '4')
  .option('--allow-private-webhooks', 'let webhooks reach loopback, private, link-local and metadata addresses (refused by default)')
  .option('--trust-proxy', 'honour X-Forwarded-Proto and X-Forwarded-For from the proxy in front (ignored by default)')
  .option('--scorers <dir>', 'register the scorer modules of this directory: the code online rules may run, by name')
  .option('--max-body-bytes <n>', 'largest JSON API request body, after gzip is undone (default 1048576: 1 MiB)')
  .option('--max-import-bytes <n>', 'largest body of a dataset import or calibration (default 67108864: 64 MiB)')
  .option('--max-otlp-body-bytes <n>', 'largest OTLP request body, after gzip is undone (default 16777216: 16 MiB)')
  .option('--retention-spans <age>', 'delete spans that started longer ago than this, e.g. 30d (or EVALOPS_RETENTION_SPANS, or retention.spans in --config); kept by default')
  .action(async (opts) => (await import('./commands/serve-command.js')).serveCommand(opts));

program
  .command('scorers')
  .description('scorers registered by the operator (--scorers DIR), which online rules name')
  .command('list')
  .description('the registered scorers: of a directory (--scorers DIR, checked as serve and worker load it), else of the server or local mode')
  .option('--scorers <dir>', 'load and list the scorer modules of this directory')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/scorers-command.js')).scorersListCommand(opts));

const traces = program.command('traces').description('ingested traces');
/** The filters of `traces list`, shared by `traces promote` (one schema checks them: src/traces/trace-query.ts). */
const withTraceFilters = (cmd: Command): Command =>
  cmd
    .option('--since <time>', 'root span started at or after: ISO time, epoch ms or age (15m, 2h, 7d)')
    .option('--until <time>', 'root span started before: ISO time, epoch ms or age')
    .option('--release <release>', 'only this release (root span)')
    .option('--kind <kind>', 'root span kind (llm, agent, chain, …)')
    .option('--session <id>', 'only traces of this session')
    .option('--user <id>', 'only traces of this user')
    .option('--errors', 'only traces with a failed span')
    .option('--attr <key=value>', 'some span has this attribute value, compared as text (repeatable: all must hold)', collect)
    .option('--has-feedback <which>', 'any, none, negative (a thumbs down) or positive (a thumbs up)')
    .option('--min-score <n>', "every numeric feedback value of the trace is ≥ n (thumbs: up 1, down 0)")
    .option('--max-score <n>', 'every numeric feedback value of the trace is ≤ n')
    .option('--score-name <name>', 'score range over this signal only (or thumbs)')
    .option('--order <order>', 'desc (newest first, default) or asc')
    .option('--limit <n>', 'how many (default 20; promote: 50)');
withTraceFilters(
  traces
    .command('list')
    .description('traces by their root span, newest first')
    .option('-c, --config <file>', 'config file naming the project')
    .option('--project <name>', 'project name')
    .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
    .option('--cursor <cursor>', 'the next page (printed after a full page)')
    .option('--json', 'print one JSON document'),
).action(async (opts) => (await import('./commands/traces-command.js')).tracesListCommand(opts));
traces
  .command('show <traceId>')
  .description('the span tree of one trace')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (traceId: string, opts) => (await import('./commands/traces-command.js')).tracesShowCommand(traceId, opts));
traces
  .command('sessions')
  .description('sessions (conversations), the most recently active first: traces, time, tokens, cost, errors, feedback')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--since <time>', 'active at or after: ISO time, epoch ms or age (15m, 2h, 7d)')
  .option('--until <time>', 'started before: ISO time, epoch ms or age')
  .option('--release <release>', 'with a span of this release')
  .option('--user <id>', 'of this user')
  .option('--cursor <cursor>', 'the next page (printed after a full page)')
  .option('--limit <n>', 'how many', '20')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/traces-command.js')).tracesSessionsCommand(opts));
traces
  .command('session <sessionId>')
  .description('one session and its traces, oldest first')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (sessionId: string, opts) => (await import('./commands/traces-command.js')).tracesSessionCommand(sessionId, opts));
withTraceFilters(
  traces
    .command('promote [traceIds...]')
    .description('promote traces (by id, or those the filter flags select) into a new dataset version (examples with source: trace)')
    .requiredOption('--dataset <name>', 'dataset to add them to')
    .option('-c, --config <file>', 'config file naming the project')
    .option('--project <name>', 'project name')
    .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
    .option('--json', 'print one JSON document'),
).action(async (traceIds: string[], opts) => (await import('./commands/traces-command.js')).tracesPromoteCommand(traceIds, opts));
const sessions = program.command('sessions').description('production sessions as conversations: transcript, promotion into a dataset');
sessions
  .command('transcript <sessionId>')
  .description("a session's traces turn by turn (user message, answer, tool calls), with its session scores")
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (sessionId: string, opts) => (await import('./commands/sessions-command.js')).sessionsTranscriptCommand(sessionId, opts));
sessions
  .command('promote <sessionId>')
  .description('promote a session into a new dataset version as a conversation example (its user turns)')
  .requiredOption('--dataset <name>', 'dataset to add it to')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
  .option('--json', 'print one JSON document')
  .action(async (sessionId: string, opts) => (await import('./commands/sessions-command.js')).sessionsPromoteCommand(sessionId, opts));

withTraceFilters(
  program
    .command('triage')
    .description('failure clusters of a run, a comparison\'s regressions, an alert\'s evidence window or a trace filter; --promote a cluster into a dataset version')
    .option('--run <runId>', "cluster the run's failures")
    .option('--compare <runs...>', 'cluster the regressions of CANDIDATE against BASELINE (two run ids)')
    .option('--alert <alertId>', "the triage report of a monitor alert: what moved, the clusters of its evidence window, commands, suggested actions")
    .option('--traces', 'cluster the traces the trace filters select (e.g. --errors --release 2.1.0)')
    .option('--seed <n>', 'seed of the sample clustered hierarchically (default 0): the same seed gives the same clusters')
    .option('--cutoff <d>', 'average cosine distance up to which clusters merge, 0..1 (default 0.85; 0.5 on embeddings)')
    .option('--max-clusters <n>', 'at most this many clusters (default 20)')
    .option('--max-items <n>', 'failing items clustered at most (default 10000)')
    .option('--name-model <provider:model>', "name the clusters with this model (the providers of -c CONFIG, or the server's with --server; default: triage.nameModel, else by their terms)")
    .option('--embedding-model <provider:model>', 'cluster on this embedding model\'s vectors; "none" for the offline TF-IDF method (default: triage.embeddingModel of the config, else offline)')
    .option('--no-rerun', "with --alert: leave the targeted reruns of the first cluster (live and canary, then compare) to run")
    .option('--promote <cluster>', 'add this cluster (c1, c2 … or its slice) to a new version of --dataset')
    .option('--dataset <name>', 'the dataset --promote writes')
    .option('--md', 'print the report as Markdown')
    .option('-c, --config <file>', 'config file naming the project')
    .option('--project <name>', 'project name')
    .option('--server <url>', 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)')
    .option('--json', 'print one JSON document'),
).action(async (opts) => (await import('./commands/triage-command.js')).triageCommand(opts));

registerReviewCommands(program);
registerOnlineCommands(program);
registerWebhookCommands(program);
program
  .command('completion <shell>')
  .description('print the shell completion script: bash, zsh or fish (e.g. eval "$(evalops completion bash)")')
  .action(async (shell: string) => (await import('./commands/completion-command.js')).completionCommand(shell, program));
// -c, --project, --server and --json on every command on stored data. Not on `init` and `run`
// (local: they write files and a local run), nor `scorers list` (the registry is the server's, of no project).
applyDataFlags(program, new Set(['init', 'run', 'scorers list', 'generate', 'rubric draft']));

// `evalops … | head` closes the pipe early: that is the reader's choice, not an error.
const quietOnEpipe = (e: NodeJS.ErrnoException): void => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
};
process.stdout.on('error', quietOnEpipe);
process.stderr.on('error', quietOnEpipe);

// `-v` is the version too (commander takes one short flag for it: -V).
const argv = process.argv.length === 3 && process.argv[2] === '-v' ? [...process.argv.slice(0, 2), '--version'] : process.argv;

try {
  await program.parseAsync(argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; any other commander error is a usage mistake (exit 2).
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    throw e;
  }
}
