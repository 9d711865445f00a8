import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { getGoldSet } from '../../api/calibration-operations.js';
import { importModule } from '../../config/import-module.js';
import { loadConfig } from '../../config/load-config.js';
import { EvalOpsError } from '../../core/errors.js';
import { draftRubric } from '../../review/draft-rubric.js';
import { rubricNamesFile } from '../../core/scorer-files.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, type RemoteFlags } from '../open-api-caller.js';

export interface RubricDraftFlags extends RemoteFlags {
  readonly config?: string;
  readonly model?: string;
  readonly holdout?: string;
  readonly seed?: string;
  readonly accept?: boolean;
  readonly json?: boolean;
}

/**
 * `evalops rubric draft METRIC`: a judge rubric drafted by a model from the metric's gold set,
 * calibrated at once on a held-out part; written to the metric's rubric file only with --accept.
 * The gold set is the local database's, or the server's with `--server`; the models are called from
 * here with the config's providers. Exit 0 when the draft meets the calibration thresholds on the
 * held-out items, 3 when it does not.
 */
export async function rubricDraftCommand(metricName: string, flags: RubricDraftFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const loaded = await loadConfig(flags.config);
    const metric = loaded.config.metrics.find((m) => m.name === metricName);
    if (!metric) throw new EvalOpsError('usage', `metric ${metricName} is not in the config (metrics: ${loaded.config.metrics.map((m) => m.name).join(', ')})`);
    if (metric.scorer.type !== 'judge') throw new EvalOpsError('usage', `metric ${metricName} is scored by ${metric.scorer.type}, not by a judge: only a judge has a rubric`);
    const holdout = flags.holdout === undefined ? 0.5 : Number(flags.holdout);
    if (!Number.isFinite(holdout) || holdout <= 0 || holdout >= 1) throw new EvalOpsError('usage', `--holdout must be a share between 0 and 1 (got "${flags.holdout}")`);
    const model = flags.model ?? loaded.config.models?.generate ?? loaded.config.models?.judge;
    if (model === undefined) throw new EvalOpsError('usage', 'evalops rubric draft needs a model to write the draft: pass --model provider:model, or set models.generate in the config');
    const models = (await import('../../models/ai-sdk-model-port.js')).createModelPort({ providers: loaded.config.providers ?? {}, env: { ...process.env } });
    const missing = models.unavailable?.(model);
    if (missing !== undefined) throw new EvalOpsError('config', missing);
    const rubricFile = rubricNamesFile(metric.scorer.rubric.trim()) ? (isAbsolute(metric.scorer.rubric.trim()) ? metric.scorer.rubric.trim() : resolve(loaded.baseDir, metric.scorer.rubric.trim())) : undefined;
    if (flags.accept && rubricFile === undefined) throw new EvalOpsError('usage', `--accept writes the draft to the metric's rubric file, but ${metricName}'s rubric is inline text in the config: make scorer.rubric a path (e.g. ./rubrics/${metricName}.md) first`);
    const api = await openApiCaller(flags);
    try {
      const project = loaded.config.project;
      const gold = await api.call(getGoldSet, { params: { project, metric: metricName } });
      const draft = await draftRubric(
        models,
        { config: loaded.config, metric: metricName, model, gold: { id: gold.id, version: gold.version, rubric: gold.rubric, items: gold.goldItems }, holdout, seed: flags.seed ?? '1', thresholds: loaded.config.review.calibration },
        { baseDir: loaded.baseDir, importModule },
      );
      if (flags.accept) await writeFile(rubricFile!, draft.rubric.endsWith('\n') ? draft.rubric : `${draft.rubric}\n`);
      const { calibration: c } = draft;
      const document = { project, metric: metricName, model, goldSet: { version: gold.version, items: gold.goldItems.length }, draftedFrom: draft.draftedFrom, heldOut: draft.heldOut, kappa: c.kappa, percentAgreement: c.percentAgreement, status: c.status, why: c.why, accepted: flags.accept === true, rubricFile: rubricFile ?? null, rubric: draft.rubric, costUsd: draft.costUsd };
      if (flags.json) printJson(document);
      else {
        const k = c.kappa.value === null ? 'n/a' : `${c.kappa.value.toFixed(3)}${c.kappa.ci95 ? ` (95% CI ${c.kappa.ci95[0].toFixed(3)} to ${c.kappa.ci95[1].toFixed(3)})` : ''}`;
        process.stdout.write(
          `${draft.rubric.trim()}\n\n— drafted from ${draft.draftedFrom} gold items of ${metricName} v${gold.version}, calibrated on ${draft.heldOut} held out: Cohen's kappa ${k}, ${c.status}${c.why.length ? ` (${c.why.join('; ')})` : ''}\n` +
            (flags.accept ? `written to ${rubricFile}; run \`evalops calibrate ${metricName}\` to record a calibration — until then the judge cannot gate\n` : `not written: rerun with --accept to write it to ${rubricFile ?? 'a rubric file'}\n`),
        );
      }
      return c.status === 'calibrated' ? 0 : 3;
    } finally {
      await api.close();
    }
  });
}
