import { getGoldSet, getJudgeDrift, listJudges, recordCalibration } from '../../api/calibration-operations.js';
import { attachJudgeVerdicts, getReviewQueue, listReviewItems } from '../../api/review-operations.js';
import { importModule } from '../../config/import-module.js';
import { loadConfig } from '../../config/load-config.js';
import type { CalibrationReport } from '../../core/review/calibration-report.js';
import { judgeItems } from '../../review/judge-items.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

/**
 * `evalops calibrate METRIC`: runs the metric's judge, as the config defines it now, over the
 * metric's gold set and records the calibration (figures computed by the store from the answers).
 * Exit 0 when the judge is calibrated, 3 when it is not (it can then only ask for approval).
 * `evalops judges`: each judge metric's status for the version the latest run used.
 */

interface Flags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

export async function calibrateCommand(metric: string, flags: Flags & { goldVersion?: string; concurrency?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const goldVersion = parseIntFlag(flags.goldVersion, '--gold-version', 1, 1_000_000);
    const concurrency = parseIntFlag(flags.concurrency, '--concurrency', 1, 256) ?? 8;
    const loaded = await loadConfig(flags.config);
    const api = await openApiCaller(flags);
    try {
      const project = flags.project ?? loaded.config.project;
      const gold = await api.call(getGoldSet, { params: { project, metric }, query: goldVersion === undefined ? {} : { version: goldVersion } });
      const models = (await import('../../models/ai-sdk-model-port.js')).createModelPort({ providers: loaded.config.providers ?? {}, env: { ...process.env } });
      const { judgeVersion, answers } = await judgeItems(loaded.config, metric, gold.goldItems, { baseDir: loaded.baseDir, importModule, models }, concurrency);
      const { calibration } = loaded.config.review;
      const recorded = await api.call(recordCalibration, { params: { project }, body: { metric, judgeVersion, goldSetVersion: gold.version, answers, thresholds: calibration } });
      if (flags.json) printJson(recorded);
      else process.stdout.write(`${reportText(recorded.report)}\n`);
      return recorded.report.status === 'calibrated' ? 0 : 3;
    } finally {
      await api.close();
    }
  });
}

export async function judgesCommand(flags: Flags & { drift?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      if (flags.drift !== undefined) {
        const drift = await api.call(getJudgeDrift, { params: { project, metric: flags.drift }, query: {} });
        if (flags.json) return printJson(drift);
        if (drift.buckets.length === 0) return void process.stdout.write(`no settled review items with a judge verdict for ${flags.drift} yet\n`);
        process.stdout.write(`${renderTable(['from', 'reviewed', 'disagree', 'rate'], drift.buckets.map((b) => [b.start.slice(0, 16).replace('T', ' '), String(b.n), String(b.disagreements), `${(b.rate * 100).toFixed(1)}%`]), new Set([1, 2, 3]))}\n`);
        if (drift.alert) process.stdout.write(`\nALERT: ${drift.alert.message}\n`);
        return;
      }
      const judges = await api.call(listJudges, { params: { project } });
      if (flags.json) return printJson(judges);
      if (judges.judges.length === 0) return void process.stdout.write(`no judge metric in the latest run of "${project}"\n`);
      process.stdout.write(
        `${renderTable(
          ['metric', 'status', 'kappa', 'gold items', 'calibrated', 'version'],
          judges.judges.map((j) => [j.metric, j.status, j.latest?.kappa == null ? '—' : j.latest.kappa.toFixed(3), j.latest ? String(j.latest.n) : '—', j.latest ? j.latest.createdAt.slice(0, 19).replace('T', ' ') : 'never', j.judgeVersion.slice(0, 12)]),
          new Set([2, 3]),
        )}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

function reportText(r: CalibrationReport): string {
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const span = (i: readonly [number, number] | null) => (i === null ? '—' : `[${pct(i[0])}, ${pct(i[1])}]`);
  const k = r.kappa.value === null ? `— (${r.kappa.reason ?? 'undefined'})` : `${r.kappa.value.toFixed(3)}${r.kappa.ci95 ? ` [${r.kappa.ci95[0].toFixed(3)}, ${r.kappa.ci95[1].toFixed(3)}]` : ''}`;
  const lines = [
    `judge ${r.metric} (version ${r.judgeVersion.slice(0, 12)}) on gold set v${r.goldSet.version}: ${r.n} of ${r.goldSet.items} items judged${r.errored ? `, ${r.errored} errored` : ''}`,
    `Cohen's kappa ${k} · agreement ${pct(r.percentAgreement)} · TPR ${pct(r.truePositiveRate)} · TNR ${pct(r.trueNegativeRate)}`,
    ...(r.intervals ? [`95% Wilson intervals: agreement ${span(r.intervals.percentAgreement)} · TPR ${span(r.intervals.truePositiveRate)} · TNR ${span(r.intervals.trueNegativeRate)}`] : []),
    '',
    renderTable(['human \\ judge', ...r.confusion.labels], r.confusion.matrix.map((row, i) => [r.confusion.labels[i] ?? '', ...row.map(String)]), new Set(r.confusion.labels.map((_, i) => i + 1))),
  ];
  if (r.slices.length) lines.push('', renderTable(['slice', 'n', 'agreement', 'kappa'], r.slices.map((s) => [s.slice, String(s.n), pct(s.percentAgreement), s.kappa === null ? '—' : s.kappa.toFixed(3)]), new Set([1, 2, 3])));
  if (r.disagreements.length) lines.push('', `disagreements (${r.disagreements.length}${r.disagreements.length >= 200 ? '+' : ''}), to help rewrite the rubric:`, ...r.disagreements.slice(0, 10).map((d) => `  ${d.key}: human ${d.human}, judge ${d.judge ?? '—'}${d.judgeReason ? ` — ${d.judgeReason}` : ''}`));
  lines.push('', r.status === 'calibrated' ? `CALIBRATED: kappa ≥ ${r.thresholds.minKappa} on ≥ ${r.thresholds.minItems} items; its rules now act as written` : `UNCALIBRATED: ${r.why.join('; ')} — its failures can only ask for approval`);
  return lines.join('\n');
}

/**
 * `evalops review judge QUEUE`: runs the queue metric's judge (as the config defines it now) over the
 * queue's items that entered without a verdict — production traces — and attaches the verdicts, so
 * judge–human disagreement is tracked on production items too (`evalops judges --drift METRIC`).
 */
export async function reviewJudgeCommand(queueRef: string, flags: Flags & { concurrency?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const concurrency = parseIntFlag(flags.concurrency, '--concurrency', 1, 256) ?? 8;
    const loaded = await loadConfig(flags.config);
    const api = await openApiCaller(flags);
    try {
      const project = flags.project ?? loaded.config.project;
      const queue = await api.call(getReviewQueue, { params: { project, queue: queueRef } });
      const pending: { key: string; payload: Parameters<typeof judgeItems>[2][number]['payload'] }[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await api.call(listReviewItems, { params: { project, queue: queueRef }, query: { limit: 1000, ...(after === undefined ? {} : { after }) } });
        for (const i of page.items) if (i.judge === null) pending.push({ key: i.id, payload: { input: i.input, ...(i.expected === undefined ? {} : { expected: i.expected }), output: i.output, toolCalls: i.toolCalls, slices: i.slices, judge: null, checks: i.checks, latencyMs: i.latencyMs, costUsd: i.costUsd } });
        if (page.nextAfter === null) break;
        after = page.nextAfter;
      }
      let attached = 0;
      if (pending.length > 0) {
        const models = (await import('../../models/ai-sdk-model-port.js')).createModelPort({ providers: loaded.config.providers ?? {}, env: { ...process.env } });
        const { judgeVersion, answers } = await judgeItems(loaded.config, queue.metric, pending, { baseDir: loaded.baseDir, importModule, models }, concurrency);
        const verdicts = answers.map((a) => ({ itemId: a.key, verdict: { status: a.status, label: a.label, pass: a.label === null ? null : queue.rubric.pass.includes(a.label), reason: a.reason, version: judgeVersion } }));
        for (let i = 0; i < verdicts.length; i += 1000) attached += (await api.call(attachJudgeVerdicts, { params: { project, queue: queueRef }, body: { verdicts: verdicts.slice(i, i + 1000) } })).attached;
      }
      if (flags.json) return printJson({ queue: queue.name, judged: pending.length, attached });
      process.stdout.write(`judged ${pending.length} item(s) of ${queue.name} without a verdict; ${attached} attached\n`);
    } finally {
      await api.close();
    }
  });
}
