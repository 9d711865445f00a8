import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decideGate, getGateDecision, listGateDecisions, overrideGateDecision } from '../../api/gate-operations.js';
import { LocalApiCaller } from '../../client/local-api-caller.js';
import { CONFIG_FILE_NAMES, loadConfig, type LoadedConfig } from '../../config/load-config.js';
import { loadPolicy } from '../../config/load-policy.js';
import { EvalOpsError } from '../../core/errors.js';
import type { GateDecisionDocument } from '../../core/gate/gate-decision.js';
import { GateModeSchema } from '../../core/gate/pr-subset.js';
import { checkOverrideRequest } from '../../gate/override-decision.js';
import { renderDecisionJunit } from '../../gate/report-junit.js';
import { renderDecisionMarkdown } from '../../gate/report-markdown.js';
import { assertInProject } from '../common-flags.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { markdownToTerminal } from '../render-markdown-terminal.js';
import { colorWanted, colors } from '../terminal-colors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

/**
 * `evalops gate`, `gate list|show`, `gate override`, on the local database or, with --server, on a
 * server. The policy is read here (config or --policy file) and sent with the request; the Markdown
 * and JUnit reports are written here from the decision document the call returns.
 */

export interface GateFlags extends RemoteFlags {
  readonly config?: string;
  /** Overrides the config's project: the same rules gate another project's runs. */
  readonly project?: string;
  readonly policy?: string;
  readonly candidate?: string;
  readonly baseline?: string;
  readonly commonExamples?: boolean;
  readonly mode?: string;
  readonly markdown?: string;
  readonly junit?: string;
  readonly json?: boolean;
}

/** `evalops gate`: exit 0 approve, 1 block, 3 require approval or narrow (DESIGN.md §5). */
export async function gateCommand(flags: GateFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const base = await loadConfig(flags.config);
    const { config, path } = flags.policy ? await loadPolicy(base, flags.policy) : base;
    if (!config.gate) throw new EvalOpsError('usage', 'the config has no `gate:` section with rules', { location: path });
    const mode = flags.mode === undefined ? undefined : GateModeSchema.safeParse(flags.mode).data;
    if (flags.mode !== undefined && mode === undefined) throw new EvalOpsError('usage', `--mode is pr or full, not "${flags.mode}"`, { location: '--mode' });
    const api = await openApiCaller(flags);
    try {
      const d = await api.call(decideGate, {
        params: { project: flags.project ?? config.project },
        body: {
          policy: config.gate,
          metrics: config.metrics.map((m) => ({ name: m.name, lifecycle: m.lifecycle, ...(m.owner ? { owner: m.owner } : {}), ...(m.failureClass ? { failureClass: m.failureClass } : {}) })),
          ...(flags.candidate ? { candidate: flags.candidate } : {}),
          ...(flags.baseline ? { baseline: flags.baseline } : {}),
          commonExamples: flags.commonExamples ?? false,
          ...(mode ? { mode } : {}),
          ...(config.coverage ? { coverage: config.coverage } : {}),
        },
      });
      await writeReports(d, flags);
      for (const w of d.warnings) process.stderr.write(`warning: ${w}\n`);
      if (flags.json) printJson(d);
      else process.stdout.write(forTerminal(renderDecisionMarkdown(d)));
      return d.exitCode;
    } finally {
      await api.close();
    }
  });
}

/** `evalops gate list`: the project's decisions, newest first. */
export async function gateListCommand(flags: RemoteFlags & { config?: string; project?: string; limit?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 1000) ?? 20;
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const list = await api.call(listGateDecisions, { params: { project }, query: { limit } });
      if (flags.json) return printJson(list);
      if (list.decisions.length === 0) return void process.stdout.write(`no gate decisions in project "${project}" yet\n`);
      process.stdout.write(
        `${renderTable(
          ['decision', 'created', 'outcome', 'in force', 'variant', 'candidate', 'overrides'],
          list.decisions.map((d) => [d.decisionId, d.createdAt.replace('T', ' ').slice(0, 19), d.outcome, d.effectiveRolloutPercent === null ? d.effectiveOutcome : `${d.effectiveOutcome} ${d.effectiveRolloutPercent}%`, d.variantName, d.candidateRunId, String(d.overrides)]),
          new Set([6]),
        )}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

/** `evalops gate show ID [--markdown F] [--junit F]`: a recorded decision, its reports and overrides. */
export async function gateShowCommand(decisionId: string, flags: RemoteFlags & { config?: string; project?: string; markdown?: string; junit?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const d = await api.call(getGateDecision, { params: { decisionId } });
      await assertInProject(flags, d.project, `decision ${decisionId}`);
      await writeReports(d, flags);
      if (flags.json) return printJson(d);
      process.stdout.write(forTerminal(renderDecisionMarkdown(d)));
      for (const o of d.overrides) process.stdout.write(`\noverride ${o.id}: → ${o.outcome} by ${o.actor} (${o.role}) at ${o.createdAt}: ${o.reason} (${o.evidenceUrl})\n`);
    } finally {
      await api.close();
    }
  });
}

/** `evalops gate override DECISION --reason R --evidence URL`. */
export async function gateOverrideCommand(decisionId: string, flags: RemoteFlags & { config?: string; project?: string; reason: string; evidence: string; outcome?: string; percent?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const percent = parseIntFlag(flags.percent, '--percent', 1, 99);
    const outcome = flags.outcome === undefined ? 'approve' : flags.outcome;
    if (outcome !== 'approve' && outcome !== 'narrow') throw new EvalOpsError('usage', `--outcome must be approve or narrow (got "${outcome}")`);
    checkOverrideRequest({ reason: flags.reason, evidence: flags.evidence, outcome, ...(percent === undefined ? {} : { rolloutPercent: percent }) });
    const loaded = await optionalConfig(flags.config);
    const api = await openApiCaller(flags);
    try {
      // Only in local mode does the config's gate.admins count: whoever holds the database file could
      // write the override anyway. A server judges by the admins recorded with the decision.
      const admins = api instanceof LocalApiCaller ? loaded?.config.gate?.admins : undefined;
      const result = await api.call(overrideGateDecision, {
        params: { decisionId },
        body: {
          reason: flags.reason,
          evidence: flags.evidence,
          outcome,
          ...(percent === undefined ? {} : { percent }),
          ...(flags.project !== undefined ? { project: flags.project } : loaded ? { project: loaded.config.project } : {}),
          ...(admins ? { admins } : {}),
        },
      });
      if (flags.json) return printJson(result);
      process.stdout.write(`override ${result.override.id}: decision ${decisionId} ${result.decision.outcome} → ${result.decision.effectiveOutcome} by ${result.override.actor} (${result.override.role})\n`);
      if (result.release) process.stdout.write(`release ${result.release.id}: ${result.release.status}${result.release.canaryPercent ? ` ${result.release.canaryPercent}%` : ''}\n`);
    } finally {
      await api.close();
    }
  });
}

async function writeReports(d: GateDecisionDocument, flags: { markdown?: string; junit?: string }): Promise<void> {
  if (flags.markdown) await writeFile(flags.markdown, renderDecisionMarkdown(d));
  if (flags.junit) await writeFile(flags.junit, renderDecisionJunit(d));
}

/** The config given with -c, or found in the working directory; none is fine (the id names the decision). */
async function optionalConfig(path: string | undefined): Promise<LoadedConfig | undefined> {
  if (path !== undefined) return loadConfig(path);
  return CONFIG_FILE_NAMES.some((n) => existsSync(join(process.cwd(), n))) ? loadConfig() : undefined;
}

/** A report for stdout: a terminal report, coloured on a TTY (NO_COLOR / FORCE_COLOR respected), plain when piped. */
function forTerminal(markdown: string): string {
  return markdownToTerminal(markdown, colors(colorWanted(process.stdout, process.env)));
}
