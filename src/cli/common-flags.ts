import type { Command } from 'commander';
import { EvalOpsError } from '../core/errors.js';
import { resolveProjectName } from './resolve-project.js';

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

/**
 * The four flags every command on stored data takes: `-c`, `--project`, `--server`, `--json`. Adds
 * only those the command lacks, so a command's own wording of a flag stays.
 */
export function withDataFlags(cmd: Command): Command {
  const has = (long: string): boolean => cmd.options.some((o) => o.long === long);
  if (!has('--config')) cmd.option('-c, --config <file>', 'config file naming the project');
  if (!has('--project')) cmd.option('--project <name>', 'project name (checked: the object must belong to it)');
  if (!has('--server')) cmd.option('--server <url>', SERVER_FLAG_HELP);
  if (!has('--json')) cmd.option('--json', 'print one JSON document');
  return cmd;
}

/**
 * Gives the data flags to every command of the program that works on stored data, i.e. every
 * command that already prints JSON, except those named in `except` (by their full path, e.g.
 * "init"). Run once after all commands are registered, so commands added later get them too.
 */
export function applyDataFlags(program: Command, except: ReadonlySet<string>): void {
  const walk = (cmd: Command, path: string): void => {
    for (const sub of cmd.commands) {
      const subPath = path ? `${path} ${sub.name()}` : sub.name();
      if (!except.has(subPath) && sub.options.some((o) => o.long === '--json')) withDataFlags(sub);
      walk(sub, subPath);
    }
  };
  walk(program, '');
}

/**
 * With `--project` or `-c`, the object a command names by id must belong to that project: a run,
 * decision or key of another project is refused (exit 2) as if it did not exist there.
 */
export async function assertInProject(flags: { project?: string; config?: string }, owner: string | null, what: string): Promise<void> {
  if (flags.project === undefined && flags.config === undefined) return;
  const project = await resolveProjectName(flags);
  if (owner !== project) throw new EvalOpsError('not_found', `${what} is not in project "${project}"`);
}
