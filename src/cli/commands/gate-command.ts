import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../../config/load-config.js';
import { loadPolicy } from '../../config/load-policy.js';
import { EvalOpsError } from '../../core/errors.js';
import { runGate } from '../../gate/gate-service.js';
import { overrideDecision } from '../../gate/override-decision.js';
import { renderDecisionJunit } from '../../gate/report-junit.js';
import { renderDecisionMarkdown } from '../../gate/report-markdown.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { resolveActor } from '../resolve-actor.js';

export interface GateFlags {
  readonly config?: string;
  readonly policy?: string;
  readonly candidate?: string;
  readonly baseline?: string;
  readonly commonExamples?: boolean;
  readonly markdown?: string;
  readonly junit?: string;
  readonly actor?: string;
  readonly json?: boolean;
}

/** `evalops gate`: exit 0 approve, 1 block, 3 require approval or narrow (DESIGN.md §5). */
export async function gateCommand(flags: GateFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const actor = resolveActor(flags.actor);
    const base = await loadConfig(flags.config);
    const loaded = flags.policy ? await loadPolicy(base, flags.policy) : base;
    const store = await openCliStore();
    try {
      const d = await runGate(store, loaded, { actor, ...(flags.candidate ? { candidate: flags.candidate } : {}), ...(flags.baseline ? { baseline: flags.baseline } : {}), commonExamples: flags.commonExamples ?? false });
      const markdown = renderDecisionMarkdown(d);
      if (flags.markdown) await writeFile(flags.markdown, markdown);
      if (flags.junit) await writeFile(flags.junit, renderDecisionJunit(d));
      for (const w of d.warnings) process.stderr.write(`warning: ${w}\n`);
      if (flags.json) printJson(d);
      else process.stdout.write(markdown);
      return d.exitCode;
    } finally {
      await store.close();
    }
  });
}

/** `evalops gate override DECISION --reason R --evidence URL`. */
export async function gateOverrideCommand(decisionId: string, flags: { config?: string; reason: string; evidence: string; outcome?: string; percent?: string; actor?: string; json?: boolean }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const actor = resolveActor(flags.actor);
    const percent = parseIntFlag(flags.percent, '--percent', 1, 99);
    const outcome = flags.outcome === undefined ? 'approve' : flags.outcome;
    if (outcome !== 'approve' && outcome !== 'narrow') throw new EvalOpsError('usage', `--outcome must be approve or narrow (got "${outcome}")`);
    const loaded = await loadConfig(flags.config);
    const store = await openCliStore();
    try {
      const result = await overrideDecision(store, loaded, { decisionId, actor, reason: flags.reason, evidence: flags.evidence, outcome, ...(percent === undefined ? {} : { rolloutPercent: percent }) });
      if (flags.json) return printJson(result);
      process.stdout.write(`override ${result.override.id}: decision ${decisionId} ${result.decision.outcome} → ${result.decision.effectiveOutcome} by ${actor} (${result.override.role})\n`);
      if (result.release) process.stdout.write(`release ${result.release.id}: ${result.release.status}${result.release.canaryPercent ? ` ${result.release.canaryPercent}%` : ''}\n`);
    } finally {
      await store.close();
    }
  });
}
