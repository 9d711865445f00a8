import type { Command } from 'commander';

/** What `--server` means, the same on every command. */
export const SERVER_FLAG_HELP = 'an EvalOps server instead of the local database (or EVALOPS_SERVER_URL; key in EVALOPS_API_KEY)';

/** The flags of a project command that calls one API operation: config, project, server, actor, --json. */
export function withProjectFlags(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file naming the project')
    .option('--project <name>', 'project name')
    .option('--server <url>', SERVER_FLAG_HELP)
    .option('--actor <who>', 'who acts (default EVALOPS_ACTOR, git user.email, or the OS user; on a server: the key)')
    .option('--json', 'print one JSON document');
}
