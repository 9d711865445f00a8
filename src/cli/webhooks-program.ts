import type { Command } from 'commander';
import { withProjectFlags } from './common-flags.js';

/**
 * `evalops webhooks …`: outgoing webhooks, their delivery log and replay. Registered here so
 * main.ts stays a table of contents; each action imports its command file only when it runs.
 */


const common = withProjectFlags;

const commands = async () => import('./commands/webhooks-command.js');

export function registerWebhookCommands(program: Command): void {
  const w = program.command('webhooks').description('outgoing webhooks: signed event POSTs with retries, the delivery log, replay');
  common(
    w
      .command('create')
      .description('create a webhook; prints its signing secret once')
      .requiredOption('--url <url>', 'http(s) URL the events are POSTed to')
      .option('--name <name>', "unique in the project (default: the URL's host)")
      .option('--events <list>', 'comma-separated event types, or * (default: every event)')
      .option('--secret <secret>', 'signing secret, 16+ characters (default: generated)'),
  ).action(async (opts) => (await commands()).webhooksCreateCommand(opts));
  common(w.command('list').description('webhooks of the project (never their secrets)')).action(async (opts) => (await commands()).webhooksListCommand(opts));
  common(w.command('delete <webhook>').description('delete a webhook (name or id) with its deliveries')).action(async (webhook: string, opts) => (await commands()).webhooksDeleteCommand(webhook, opts));
  common(w.command('test <webhook>').description('send a signed ping now; exit 4 when the receiver does not answer 2xx')).action(async (webhook: string, opts) => (await commands()).webhooksTestCommand(webhook, opts));
  common(
    w
      .command('deliveries')
      .description('deliveries, newest first')
      .option('--status <status>', 'pending, delivering, delivered or failed')
      .option('--webhook <webhook>', 'of one webhook (name or id)')
      .option('--event <type>', 'of one event type')
      .option('--limit <n>', 'how many (default 50)')
      .option('--cursor <cursor>', 'the next page (printed after a full page)'),
  ).action(async (opts) => (await commands()).webhooksDeliveriesCommand(opts));
  common(w.command('delivery <delivery>').description('one delivery with its payload and every attempt')).action(async (delivery: string, opts) => (await commands()).webhooksDeliveryCommand(delivery, opts));
  common(w.command('replay <delivery>').description('send a failed (or delivered) delivery again now; exit 4 when it fails again')).action(async (delivery: string, opts) => (await commands()).webhooksReplayCommand(delivery, opts));
}
