import { resolve } from 'node:path';
import { planGateOperation } from '../../api/plan-operations.js';
import { loadConfig } from '../../config/load-config.js';
import { EvalOpsError } from '../../core/errors.js';
import { loadDatasetFile } from '../../datasets/load-dataset-file.js';
import type { PlanReport } from '../../gate/plan-gate.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, type RemoteFlags } from '../open-api-caller.js';
import { renderTable } from '../render-table.js';

export interface PlanFlags extends RemoteFlags {
  readonly config?: string;
  /** Overrides the config's project: the plan of the same rules on another project's runs. */
  readonly project?: string;
  readonly drop?: string;
  readonly json?: boolean;
}

/**
 * `evalops plan [-c config] [--drop 0.05]`: what the config's gate can see on its dataset — the
 * minimum detectable drop per noRegression rule and slice, the rules that cannot fire, and with
 * --drop the examples each test needs. The dataset's sizes are read from its file here (a server
 * never reads files); pass rates and discordance come from the stored earlier runs.
 */
export async function planCommand(flags: PlanFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const drop = parseDrop(flags.drop);
    const { config, baseDir } = await loadConfig(flags.config);
    if (!config.gate) throw new EvalOpsError('usage', 'the config has no `gate:` section with rules to plan');
    let sizes: { n: number; slices: Record<string, number> } | undefined;
    if (config.dataset.path !== undefined) {
      const { examples } = await loadDatasetFile(resolve(baseDir, config.dataset.path));
      const slices: Record<string, number> = {};
      for (const e of examples) for (const s of e.slices) slices[s] = (slices[s] ?? 0) + 1;
      sizes = { n: examples.length, slices };
    }
    const api = await openApiCaller(flags);
    try {
      const report = await api.call(planGateOperation, {
        params: { project: flags.project ?? config.project },
        body: {
          policy: config.gate,
          metrics: config.metrics.map((m) => ({ name: m.name, lifecycle: m.lifecycle, ...(m.failureClass ? { failureClass: m.failureClass } : {}), ...(m.primary ? { primary: true } : {}) })),
          dataset: { name: config.dataset.name, ...(sizes ?? {}) },
          ...(drop === undefined ? {} : { drop }),
        },
      });
      for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
      if (flags.json) return printJson(report);
      process.stdout.write(renderPlan(report));
      return 0;
    } finally {
      await api.close();
    }
  });
}

function parseDrop(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!(x > 0 && x <= 1)) throw new EvalOpsError('usage', `--drop is a drop in pass rate between 0 and 1 (e.g. 0.05 for 5 points), not "${value}"`, { location: '--drop' });
  return x;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function renderPlan(r: PlanReport): string {
  const v = r.visibility;
  const lines = [`Gate plan for ${r.project}, dataset ${r.dataset.name}${r.dataset.version ? `@${r.dataset.version}` : ''}: ${r.dataset.n} examples, ${r.dataset.slices} slice(s); correction ${v.correction}; earlier runs used: ${r.runs.length ? r.runs.join(', ') : 'none'}`, ''];
  if (v.rows.length) {
    const headers = ['rule', 'metric', 'slice', 'n', 'baseline', 'discordance (ρ)', `MDE @${pct(v.power)}`, ...(v.drop !== null ? [`n for −${(v.drop * 100).toFixed(1)} pts`] : []), 'can fire'];
    const rows = v.rows.map((x) => [
      x.ruleText,
      x.metric,
      x.slice ?? 'all',
      String(x.n),
      `${pct(x.baseRate)}${x.baseRateSource === 'assumed' ? '*' : ''}`,
      `${pct(x.discordance)} (${x.rho.toFixed(2)}${x.discordanceSource === 'assumed' ? '*' : ''})`,
      x.mde === null ? '> 100 pts' : `${(x.mde * 100).toFixed(1)} pts`,
      ...(v.drop !== null ? [x.examplesNeeded === null || x.examplesNeeded === undefined ? '—' : String(x.examplesNeeded)] : []),
      x.canFire ? 'yes' : `NO: ${x.reason}`,
    ]);
    lines.push(renderTable(headers, rows, new Set([3, 4, 5, 6])), '');
  }
  if (v.assumptions.length) lines.push('Assumed (* in the table):', ...v.assumptions.map((a) => `- ${a}`), '');
  lines.push(`MDE: the smallest drop in pass rate the gate catches ${pct(v.power)} of the time, at the level its correction gives that test.`);
  return `${lines.join('\n')}\n`;
}
