import type { Command } from 'commander';
import { withProjectFlags } from './common-flags.js';

/** `evalops releases config set|show` and `evalops releases diff`, under the `releases` command. */
export function registerReleaseConfigCommands(releases: Command): void {
  const releaseConfig = releases.command('config').description("a release's config: prompts, model and parameters, tools, data (stored content-addressed, served by resolve)");
  withProjectFlags(
    releaseConfig
      .command('set <release>')
      .description('set the config of a release (a new name makes a candidate release for it); another config for a release that has one exits 2')
      .requiredOption('--file <file>', 'the config, JSON or YAML'),
  ).action(async (name: string, opts) => (await import('./commands/release-config-command.js')).releasesConfigSetCommand(name, opts));
  withProjectFlags(releaseConfig.command('show <release>').description("a release's config and its content hash")).action(async (name: string, opts) =>
    (await import('./commands/release-config-command.js')).releasesConfigShowCommand(name, opts),
  );
  withProjectFlags(releases.command('diff <from> <to>').description('what changed in the config from one release to another')).action(async (from: string, to: string, opts) =>
    (await import('./commands/release-config-command.js')).releasesDiffCommand(from, to, opts),
  );
}
