import type { Command } from 'commander';
import { withProjectFlags } from './common-flags.js';

/**
 * Production monitoring commands: `evalops online …`, `evalops monitors …`, `evalops alerts …`,
 * `evalops releases rollback-rule …`, `evalops worker`. Each action imports its command file only
 * when it runs.
 */


const common = withProjectFlags;

const online = async () => import('./commands/online-command.js');
const monitors = async () => import('./commands/monitors-command.js');

export function registerOnlineCommands(program: Command): void {
  const o = program.command('online').description('online scoring of production traces: rules, scores, time series, jobs');
  common(o.command('apply <file>').description('create or replace the online rules and monitors of a YAML/JSON file (by name)').option('--backfill', 'new rules also score traces stored before them')).action(async (file: string, opts) => (await online()).onlineApplyCommand(file, opts));
  const rules = o.command('rules').description('online rules');
  common(rules.command('list').description('rules with what they scored and spent')).action(async (opts) => (await online()).onlineRulesListCommand(opts));
  common(rules.command('show <rule>').description('one rule: its spec and counts')).action(async (rule: string, opts) => (await online()).onlineRuleShowCommand(rule, opts));
  common(rules.command('pause <rule>').description('stop sweeping and scoring for a rule')).action(async (rule: string, opts) => (await online()).onlineRuleEnableCommand(rule, false, opts));
  common(rules.command('resume <rule>').description('resume a paused rule (from where it stopped)')).action(async (rule: string, opts) => (await online()).onlineRuleEnableCommand(rule, true, opts));
  common(
    o
      .command('scores')
      .description("a metric's online scores, newest trace first")
      .requiredOption('--rule <rule>', 'online rule')
      .requiredOption('--metric <metric>', 'metric of the rule')
      .option('--release <release>', 'only this release')
      .option('--since <iso>', 'traces started at or after (ISO time)')
      .option('--failing', 'only failing scores')
      .option('--limit <n>', 'how many (default 50)'),
  ).action(async (opts) => (await online()).onlineScoresCommand(opts));
  common(o.command('trace <traceId>').description("every rule's scores and flags on one trace")).action(async (traceId: string, opts) => (await online()).onlineTraceCommand(traceId, opts));
  common(
    o
      .command('series')
      .description('a time series over sampled traces, per cohort')
      .requiredOption('--rule <rule>', 'online rule')
      .option('--signal <signal>', 'pass_rate (default), mean_score, latency_p50, latency_p95, error_rate, cost_per_success, negative_feedback_rate, judge_human_disagreement')
      .option('--metric <metric>', 'metric (default: the rule\'s first)')
      .option('--by <cohort>', 'release (default), variant, a cohort attribute, or all')
      .option('--bucket <minutes>', 'bucket size in minutes (default 60)')
      .option('--since <iso>', 'from (ISO time; default 7 days ago)')
      .option('--until <iso>', 'to (ISO time; default now)'),
  ).action(async (opts) => (await online()).onlineSeriesCommand(opts));
  common(o.command('jobs').description('the scoring queue: counts by state and dead-lettered jobs')).action(async (opts) => (await online()).onlineJobsCommand(opts));

  const m = program.command('monitors').description('monitors on online metrics: change detection, thresholds, canary vs live');
  common(m.command('list').description('monitors with their state and open alert')).action(async (opts) => (await monitors()).monitorsListCommand(opts));
  common(m.command('show <monitor>').description('one monitor: last evaluation and alerts')).action(async (monitor: string, opts) => (await monitors()).monitorShowCommand(monitor, opts));
  common(m.command('pause <monitor>').description('pause a monitor: it neither evaluates nor alerts until resumed (audited)').option('--reason <text>', 'why')).action(async (monitor: string, opts) => (await monitors()).monitorPauseCommand(monitor, true, opts));
  common(m.command('resume <monitor>').description('resume a paused monitor (audited)').option('--reason <text>', 'why')).action(async (monitor: string, opts) => (await monitors()).monitorPauseCommand(monitor, false, opts));
  common(m.command('evaluate <monitor>').description('evaluate now (the worker does it every few seconds)')).action(async (monitor: string, opts) => (await monitors()).monitorEvaluateCommand(monitor, opts));

  const a = program.command('alerts').description('alerts: open → acknowledged → resolved');
  common(a.command('list').description('alerts, newest first').option('--status <status>', 'open, acknowledged, resolved or unresolved').option('--monitor <monitor>', 'of one monitor').option('--limit <n>', 'how many (default 50)')).action(async (opts) => (await monitors()).alertsListCommand(opts));
  common(a.command('show <alert>').description('one alert with its evidence and triage commands')).action(async (alert: string, opts) => (await monitors()).alertShowCommand(alert, opts));
  common(a.command('ack <alert>').description('acknowledge: someone is on it').option('--note <text>', 'a note')).action(async (alert: string, opts) => (await monitors()).alertMoveCommand(alert, 'acknowledge', opts));
  common(a.command('resolve <alert>').description('resolve, saying what was done').option('--note <text>', 'what was done')).action(async (alert: string, opts) => (await monitors()).alertMoveCommand(alert, 'resolve', opts));

  const releases = program.commands.find((c) => c.name() === 'releases');
  if (releases) {
    const rr = releases.command('rollback-rule').description('rollback rules: what a firing monitor does to a release');
    common(rr.command('add <release>').description('when the monitor fires, roll the release back (or narrow its canary)').requiredOption('--monitor <monitor>', 'monitor').option('--narrow <percent>', 'narrow the canary to this percent instead of rolling back')).action(async (release: string, opts) => (await monitors()).rollbackRuleAddCommand(release, opts));
    common(rr.command('remove <release>').description('unbind a monitor from the release (audited)').requiredOption('--monitor <monitor>', 'monitor')).action(async (release: string, opts) => (await monitors()).rollbackRuleRemoveCommand(release, opts));
    common(rr.command('list <release>').description("a release's rollback rules")).action(async (release: string, opts) => (await monitors()).rollbackRulesListCommand(release, opts));
  }

  program
    .command('worker')
    .description('background worker: online scoring, monitors, webhook delivery (run several on PostgreSQL)')
    .option('-c, --config <file>', 'config whose providers (and rate limits) the judges use')
    .option('--scorers <dir>', 'register the scorer modules of this directory: the code online rules may run, by name')
    .option('--concurrency <n>', 'scoring jobs at once', '4')
    .option('--lease <seconds>', 'a job held longer is presumed lost and handed out again (default 120, or EVALOPS_JOB_LEASE_SECONDS)')
    .option('--once', 'sweep, drain the queue, evaluate monitors, deliver webhooks, then exit')
    .option('--allow-private-webhooks', 'let webhooks reach loopback, private, link-local and metadata addresses (refused by default)')
    .action(async (opts) => (await import('./commands/worker-command.js')).workerCommand(opts));
}
