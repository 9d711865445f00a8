/**
 * The `evalops` CLI. Each command lives in its own file under commands/ and is imported only when
 * it runs, so `evalops --version` stays fast.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('evalops')
  .description('AI evaluation as release control')
  .version(pkg.version, '-V, --version')
  .showHelpAfterError()
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
  .description('run the target over the dataset, score every output and store the run')
  .option('-c, --config <file>', 'config file (default: evalops.yaml or evalops.config.ts in the current directory)')
  .option('--repeat <n>', 'trials per example')
  .option('--concurrency <n>', 'calls in flight at once')
  .option('--no-cache', 'call the target even when a cached response exists')
  .option('--label <k=v>', 'label the run (repeatable)', collect)
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/run-command.js')).runCommand(opts));

const runs = program.command('runs').description('stored runs');
runs
  .command('list')
  .description('list runs, newest first')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--limit <n>', 'how many', '20')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/runs-command.js')).runsListCommand(opts));
runs
  .command('show <runId>')
  .description('one run: scorecard, and with --results its results')
  .option('--results', 'include per-example results and scores')
  .option('--failures', 'only results with a failed or errored metric or an error')
  .option('--limit <n>', 'results to show', '50')
  .option('--json', 'print one JSON document')
  .action(async (runId: string, opts) => (await import('./commands/runs-command.js')).runsShowCommand(runId, opts));

const datasets = program.command('datasets').description('dataset versions');
datasets
  .command('import <file>')
  .description('import a JSONL, CSV, JSON or YAML file as a new dataset version')
  .requiredOption('--name <name>', 'dataset name')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--json', 'print one JSON document')
  .action(async (file: string, opts) => (await import('./commands/datasets-command.js')).datasetsImportCommand(file, opts));
datasets
  .command('list')
  .description('datasets with their latest version')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--json', 'print one JSON document')
  .action(async (opts) => (await import('./commands/datasets-command.js')).datasetsListCommand(opts));
datasets
  .command('show <name>')
  .description('a dataset version and its examples (newest version unless --version)')
  .option('--version <hash>', 'version hash or prefix')
  .option('--limit <n>', 'examples to show', '20')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--json', 'print one JSON document')
  .action(async (name: string, opts) => (await import('./commands/datasets-command.js')).datasetsShowCommand(name, opts));
datasets
  .command('diff <name> <from> <to>')
  .description('added, removed and changed examples between two versions')
  .option('-c, --config <file>', 'config file naming the project')
  .option('--project <name>', 'project name')
  .option('--json', 'print one JSON document')
  .action(async (name: string, from: string, to: string, opts) => (await import('./commands/datasets-command.js')).datasetsDiffCommand(name, from, to, opts));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; any other commander error is a usage mistake (exit 2).
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    throw e;
  }
}
