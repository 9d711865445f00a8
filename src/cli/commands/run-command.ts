import { firstErrors } from '../render-first-errors.js';
import { importModule } from '../../config/import-module.js';
import { loadConfig } from '../../config/load-config.js';
import { runEvaluation } from '../../runner/run-evaluation.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { planWarnings } from '../plan-warnings.js';
import { resolveActor } from '../resolve-actor.js';
import { parseIntFlag, parseLabels } from '../parse-flags.js';
import { createProgressRenderer } from '../progress-bar.js';
import { renderScorecard } from '../render-scorecard.js';

export interface RunFlags {
  readonly config?: string;
  readonly repeat?: string;
  readonly concurrency?: string;
  readonly cache?: boolean;
  readonly label?: string[];
  readonly release?: string;
  readonly subset?: string;
  readonly json?: boolean;
}

/**
 * `evalops run`: Ctrl-C once stops scheduling and keeps what finished (the run is stored as
 * incomplete); twice exits at once. Exit 4 when the target failed on every example.
 */
export async function runCommand(flags: RunFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const repeat = parseIntFlag(flags.repeat, '--repeat', 1, 100);
    const concurrency = parseIntFlag(flags.concurrency, '--concurrency', 1, 1024);
    const labels = parseLabels(flags.label);
    const loaded = await loadConfig(flags.config);
    const store = await openCliStore();
    const controller = new AbortController();
    const onSigint = (): void => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write('\nevalops: stopping — finished results are kept (Ctrl-C again to quit now)\n');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const progress = createProgressRenderer();
    try {
      const result = await runEvaluation(
        loaded,
        {
          ...(repeat === undefined ? {} : { repeat }),
          ...(concurrency === undefined ? {} : { concurrency }),
          ...(flags.cache === false ? { cache: false } : {}),
          labels,
          ...(flags.release === undefined ? {} : { release: flags.release }),
          ...(flags.subset === undefined ? {} : { subset: flags.subset }),
          // Who names the release in the audit log; looked up only when there is a name to give.
          ...((flags.release ?? loaded.config.release) === undefined ? {} : { actor: resolveActor(undefined) }),
          signal: controller.signal,
          onProgress: progress.update,
        },
        { store, env: process.env, importModule },
      );
      progress.end();
      for (const notice of result.notices) process.stderr.write(`notice: ${notice}\n`);
      for (const w of await planWarnings(store, loaded)) process.stderr.write(`warning: ${w}\n`);
      const { summary } = result;
      if (flags.json) printJson({ ...summary, notices: result.notices, release: result.release });
      else {
        process.stdout.write(`${renderScorecard(summary)}\n`);
        if (result.release) process.stdout.write(`release ${result.release.name} (${result.release.id}): variant ${summary.target.variant ?? ''}\n`);
      }
      if (result.interrupted) return 130;
      if (summary.results.total > 0 && summary.results.errors === summary.results.total) {
        const errored = await store.runs.results(summary.runId, { limit: 1000, filter: { failures: true } });
        const causes = firstErrors(errored);
        process.stderr.write(`evalops: the target failed on every example; the first errors:\n${causes.map((l) => `  ${l}\n`).join('')}(all of them: evalops runs show ${summary.runId} --failures)\n`);
        return 4;
      }
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      await store.close();
    }
  });
}
