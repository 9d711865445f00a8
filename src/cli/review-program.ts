import type { Command } from 'commander';
import { withProjectFlags } from './common-flags.js';

/**
 * The human-review commands: `evalops review …`, `evalops gold …`, `evalops calibrate`, `evalops
 * judges`. Registered here so main.ts stays a table of contents; each action imports its command
 * file only when it runs.
 */

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const common = withProjectFlags;

export function registerReviewCommands(program: Command): void {
  const review = program.command('review').description('human review: queues, labels, agreement');
  const queues = review.command('queues').description('review queues');
  common(queues.command('list').description('queues with their progress')).action(async (opts) => (await import('./commands/review-command.js')).queuesListCommand(opts));
  common(
    queues
      .command('create <name>')
      .description("create a queue for a metric; its labels come from the metric's judge or human scorer in the config, or --labels/--pass")
      .requiredOption('--metric <metric>', 'the metric reviewed')
      .option('--labels <list>', 'comma-separated labels, worst → best (default: the metric scorer\'s labels)')
      .option('--pass <list>', 'comma-separated pass labels (default: the scorer\'s)')
      .option('--rubric <file>', 'YAML or JSON file mapping each label to its definition')
      .option('--reviewers <list>', 'comma-separated reviewer names (default: anyone with the reviewer role)')
      .option('--per-item <n>', 'reviewers per item', '1')
      .option('--nominal', 'the labels are unordered categories (no weighted kappa; nominal alpha)')
      .option('--lease-minutes <n>', 'minutes a taken, unlabelled item is held before it returns to the queue (1–10080; default 30)'),
  ).action(async (name: string, opts) => (await import('./commands/review-command.js')).queuesCreateCommand(name, opts));
  common(queues.command('show <queue>').description('one queue: progress per reviewer and agreement')).action(async (queue: string, opts) => (await import('./commands/review-command.js')).queuesShowCommand(queue, opts));
  common(
    review
      .command('add <queue>')
      .description('route items into a queue: run results by rule, sample or hand, or traces')
      .option('--run <runId>', 'route results of this run')
      .option('--rule <rule>', 'low, borderline, disagreement or errored (repeatable)', collect)
      .option('--sample <rate>', 'also draw this share (0..1) of the other results at random, for unbiased estimates')
      .option('--example <id>', 'add this example\'s results by hand (repeatable)', collect)
      .option('--trace <traceId>', 'add this trace (repeatable)', collect)
      .option('--file <file>', 'ids one a line (# comments, blank lines ignored): example ids with --run, else trace ids')
      .option('--filter <key=value>', 'add the traces this trace-list filter selects, e.g. hasFeedback=negative, release=v2, attr=k=v (repeatable)', collect)
      .option('--negative-feedback', 'add the traces with a thumbs down')
      .option('--limit <n>', 'at most this many traces with --negative-feedback', '100'),
  ).action(async (queue: string, opts) => (await import('./commands/review-command.js')).reviewAddCommand(queue, opts));
  common(review.command('next <queue>').description('your next item to label (the one you hold, else a new one)')).action(async (queue: string, opts) => (await import('./commands/review-command.js')).reviewNextCommand(queue, opts));
  common(review.command('skip <queue> <item>').description('pass on an item you hold: it goes to another reviewer, never back to you')).action(async (queue: string, item: string, opts) =>
    (await import('./commands/review-command.js')).reviewGiveBackCommand('skip', queue, item, opts),
  );
  common(review.command('release <queue> <item>').description('give back an item you hold unlabelled: it returns to the queue')).action(async (queue: string, item: string, opts) =>
    (await import('./commands/review-command.js')).reviewGiveBackCommand('release', queue, item, opts),
  );
  common(
    review
      .command('label <queue> <item> <label>')
      .description('label an item assigned to you')
      .option('--note <text>', 'free text')
      .option('--seconds <n>', 'time spent on the item'),
  ).action(async (queue: string, item: string, label: string, opts) => (await import('./commands/review-command.js')).reviewLabelCommand(queue, item, label, opts));
  common(review.command('adjudicate <queue> <item> <label>').description("settle a disputed item's label (owner)")).action(async (queue: string, item: string, label: string, opts) =>
    (await import('./commands/review-command.js')).reviewAdjudicateCommand(queue, item, label, opts),
  );
  common(
    review
      .command('agreement <queue>')
      .description("agreement between the queue's reviewers (every pair's Cohen's kappa: unweighted, linear, quadratic) and the items they disagree on")
      .option('--pair <a,b>', 'only this reviewer pair in the pairwise table'),
  ).action(async (queue: string, opts) => (await import('./commands/review-command.js')).reviewAgreementCommand(queue, opts));
  common(
    review
      .command('export <queue>')
      .description('the queue\'s items with their labels and settled label, as JSON Lines')
      .option('--status <status>', 'all, open, settled or disputed', 'all')
      .option('--out <file>', 'write to this file instead of standard output'),
  ).action(async (queue: string, opts) => (await import('./commands/review-command.js')).reviewExportCommand(queue, opts));
  common(review.command('promote <queue> <item>').description('add a settled item to a dataset, its human label as the expected outcome').requiredOption('--dataset <name>', 'dataset')).action(
    async (queue: string, item: string, opts) => (await import('./commands/review-command.js')).reviewPromoteCommand(queue, item, opts),
  );
  common(
    review
      .command('judge <queue>')
      .description("run the queue metric's judge over items that have no verdict yet (production traces), for judge drift")
      .option('--concurrency <n>', 'judge calls at once', '8'),
  ).action(async (queue: string, opts) => (await import('./commands/calibrate-command.js')).reviewJudgeCommand(queue, opts));
  common(review.command('burden').description('what review costs: share of results routed to people, minutes per label')).action(async (opts) => (await import('./commands/review-command.js')).reviewBurdenCommand(opts));

  const gold = program.command('gold').description('gold sets: frozen human labels per metric');
  common(gold.command('freeze <metric>').description("freeze the settled items of the metric's queues as its next gold set version").option('--queue <queue>', 'only this queue (repeatable)', collect)).action(
    async (metric: string, opts) => (await import('./commands/gold-command.js')).goldFreezeCommand(metric, opts),
  );
  common(gold.command('list').description('gold set versions')).action(async (opts) => (await import('./commands/gold-command.js')).goldListCommand(opts));
  common(gold.command('show <metric>').description("a metric's gold set").option('--version <n>', 'this version (default the latest)')).action(async (metric: string, opts) => (await import('./commands/gold-command.js')).goldShowCommand(metric, opts));

  common(
    program
      .command('calibrate <metric>')
      .description("run the metric's judge over its gold set and record its agreement with the humans")
      .option('--gold-version <n>', 'this gold set version (default the latest)')
      .option('--concurrency <n>', 'judge calls at once', '8'),
  ).action(async (metric: string, opts) => (await import('./commands/calibrate-command.js')).calibrateCommand(metric, opts));
  common(
    program
      .command('judges')
      .description('judge metrics and their calibration status (calibrated, uncalibrated, stale); with --drift, judge–human disagreement over time')
      .option('--drift <metric>', 'the disagreement series of this judge metric'),
  ).action(async (opts) => (await import('./commands/calibrate-command.js')).judgesCommand(opts));
}
