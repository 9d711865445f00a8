import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ApiCaller } from '../../api/api-caller.js';
import { saveMonitor } from '../../api/monitor-operations.js';
import { listReleases } from '../../api/release-operations.js';
import { getOnlineJobs, getOnlineRule, getOnlineSeries, getTraceOnlineScores, listOnlineRules, listOnlineScores, saveOnlineRule, setOnlineRuleEnabled } from '../../api/online-operations.js';
import { EvalOpsError } from '../../core/errors.js';
import { detectorParamsProblem } from '../../core/monitor/detector-registry.js';
import { MonitorSpecSchema, type MonitorSpec } from '../../core/monitor/monitor-spec.js';
import { outlookLines } from '../render-monitor-outlook.js';
import { OnlineRuleSpecSchema } from '../../core/online/online-rule.js';
import { loadRubric } from '../../scorers/judge.js';
import { loadJsonSchemaValidator } from '../../scorers/json-schema-validator.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';
import { isJudgeConfig } from '../../core/judge-scorer-types.js';

/**
 * `evalops online apply|rules|scores|trace|series|jobs`: online rules and what they scored. Thin:
 * parse, call one operation (local database or --server), print.
 */

export interface OnlineFlags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

export async function withApi(flags: OnlineFlags, body: (api: ApiCaller, project: string) => Promise<void>): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      await body(api, await projectFor(api, flags));
    } finally {
      await api.close();
    }
  });
}

const OnlineFileSchema = z.strictObject({
  rules: z.array(z.unknown()).default([]),
  monitors: z.array(z.unknown()).default([]),
});

/**
 * `evalops online apply FILE`: creates or replaces the rules and monitors of a YAML/JSON file (by
 * name). Judge rubric files are read here, relative to the file, and stored inline, so every worker
 * scores with the same rubric. Every entry is checked before anything is saved.
 */
export async function onlineApplyCommand(file: string, flags: OnlineFlags & { backfill?: boolean }): Promise<void> {
  await withApi(flags, async (api, project) => {
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(file, 'utf8'));
    } catch (e) {
      throw new EvalOpsError('usage', `${file}: ${(e as Error).message}`);
    }
    const doc = OnlineFileSchema.safeParse(raw ?? {});
    if (!doc.success) throw new EvalOpsError('usage', `${file}: ${issueText(doc.error)}`);
    const rules = doc.data.rules.map((r, i) => {
      const parsed = OnlineRuleSpecSchema.safeParse(r);
      if (!parsed.success) throw new EvalOpsError('usage', `${file}: rules.${i}.${issueText(parsed.error)}`);
      return parsed.data;
    });
    const monitors = doc.data.monitors.map((m, i) => {
      const parsed = MonitorSpecSchema.safeParse(m);
      if (!parsed.success) throw new EvalOpsError('usage', `${file}: monitors.${i}.${issueText(parsed.error)}`);
      const d = parsed.data.detector;
      const problem = d.kind === 'cusum' || d.kind === 'ewma' || d.kind === 'page-hinkley' || d.kind === 'shiryaev-roberts' ? detectorParamsProblem(d.kind, d.params) : null;
      if (problem) throw new EvalOpsError('usage', `${file}: monitors.${i}.detector.params.${problem}`);
      return parsed.data;
    });
    // A monitor on a rule of this file must name one of its metrics; checked before anything is saved.
    monitors.forEach((m, i) => {
      const rule = rules.find((r) => r.name === m.rule);
      if (rule && !rule.metrics.some((x) => x.name === m.metric)) {
        throw new EvalOpsError('usage', `${file}: monitors.${i}.metric: rule ${rule.name} has no metric ${m.metric} (it has ${rule.metrics.map((x) => x.name).join(', ')})`);
      }
    });
    // The file is the user's, on their disk: what it names is read here and sent inline, so the
    // server and the workers never read a path that came with a rule. Code is not sent at all: a
    // function scorer names a scorer the operator registered (`--scorers DIR`).
    const baseDir = dirname(resolve(file));
    for (const [i, rule] of rules.entries()) {
      for (const [j, metric] of rule.metrics.entries()) {
        const scorer = metric.scorer;
        const where = `${file}: rules.${i}.metrics.${j}.scorer`;
        if (isJudgeConfig(scorer)) scorer.rubric = await loadRubric(scorer.rubric, baseDir);
        if ((scorer.type === 'json-schema' || scorer.type === 'tool-args') && typeof scorer.schema === 'string') scorer.schema = await inlineSchema(scorer.schema, baseDir, where);
        if (scorer.type === 'command' || (scorer.type === 'per-turn' && scorer.scorer.type === 'command')) throw new EvalOpsError('usage', `${where}.type: an online rule does not run commands; register the scorer as a module with --scorers DIR and name it (\`{ type: function, name }\`)`);
        if (scorer.type === 'function' && scorer.path !== undefined) {
          throw new EvalOpsError('usage', `${where}.path: an online rule does not load code from a path; put the module in the directory the server and workers get with --scorers DIR and name it here (\`{ type: function, name: ${JSON.stringify(basename(scorer.path).replace(/\.[^.]+$/, ''))} }\`; see \`evalops scorers list\`)`);
        }
      }
    }
    const savedRules = [];
    for (const rule of rules) savedRules.push(await api.call(saveOnlineRule, { params: { project }, body: { rule, enabled: true, backfill: flags.backfill ?? false } }));
    const savedMonitors = [];
    for (const monitor of monitors) savedMonitors.push(await api.call(saveMonitor, { params: { project }, body: { monitor } }));
    for (const notice of await releaseNotices(api, project, file, monitors)) process.stderr.write(`notice: ${notice}\n`);
    if (flags.json) return printJson({ project, rules: savedRules.map((r) => ({ name: r.name, id: r.id, created: r.created })), monitors: savedMonitors.map((m) => ({ name: m.name, id: m.id, created: m.created, arming: m.arming, detectability: m.detectability })) });
    for (const r of savedRules) process.stdout.write(`rule ${r.name}: ${r.created ? 'created' : 'updated'}\n`);
    for (const m of savedMonitors) {
      process.stdout.write(`monitor ${m.name}: ${m.created ? 'created' : 'updated'}\n`);
      for (const line of outlookLines(m.arming, m.detectability)) process.stdout.write(`  ${line}\n`);
    }
  });
}

/** A JSON Schema file of the rules file, read and parsed here to go inline. */
async function inlineSchema(path: string, baseDir: string, where: string): Promise<Record<string, unknown>> {
  try {
    // The same checks a run makes (it parses and compiles); what goes inline is the parsed schema.
    return { ...(await loadJsonSchemaValidator(path, baseDir)).schema };
  } catch (e) {
    throw new EvalOpsError('usage', `${where}.schema: ${(e as Error).message}${e instanceof EvalOpsError && e.location ? ` (${e.location})` : ''}`);
  }
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? error.message}`.replace(/^: /, '');
}

export async function onlineRulesListCommand(flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const { rules } = await api.call(listOnlineRules, { params: { project } });
    if (flags.json) return printJson({ project, rules });
    if (rules.length === 0) return void process.stdout.write(`no online rules in project "${project}"; create them with \`evalops online apply online.yaml\`\n`);
    process.stdout.write(
      `${renderTable(
        ['rule', 'enabled', 'sample', 'metrics', 'traces', 'sampled', 'flagged', 'spent today'],
        rules.map((r) => {
          const spec = r.spec as { sampleRate: number; metrics: { name: string }[] };
          return [r.name, r.enabled ? 'yes' : 'paused', `${(spec.sampleRate * 100).toFixed(1)}%`, spec.metrics.map((m) => m.name).join(','), String(r.stats.traces), String(r.stats.sampled), String(r.stats.flagged), `$${r.stats.spentTodayUsd.toFixed(4)}`];
        }),
        new Set([4, 5, 6, 7]),
      )}\n`,
    );
  });
}

export async function onlineRuleShowCommand(rule: string, flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const view = await api.call(getOnlineRule, { params: { project, rule } });
    if (flags.json) return printJson(view);
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  });
}

export async function onlineRuleEnableCommand(rule: string, enabled: boolean, flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const view = await api.call(setOnlineRuleEnabled, { params: { project, rule }, body: { enabled } });
    if (flags.json) return printJson(view);
    process.stdout.write(`rule ${view.name} ${view.enabled ? 'resumed' : 'paused'}\n`);
  });
}

export async function onlineScoresCommand(flags: OnlineFlags & { rule: string; metric: string; release?: string; since?: string; failing?: boolean; limit?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 1000);
    const res = await api.call(listOnlineScores, {
      params: { project, rule: flags.rule },
      query: { metric: flags.metric, ...(flags.release ? { release: flags.release } : {}), ...(flags.since ? { since: flags.since } : {}), ...(flags.failing ? { failing: 'true' } : {}), ...(limit ? { limit: String(limit) } : {}) },
    } as never);
    if (flags.json) return printJson(res);
    if (res.scores.length === 0) return void process.stdout.write('no scores match\n');
    process.stdout.write(`${renderTable(['trace', 'started', 'release', 'pass', 'label', 'reason'], res.scores.map((s) => [s.traceId, s.traceStart, s.release ?? '—', s.pass === null ? s.status : s.pass ? 'pass' : 'FAIL', s.label ?? '', (s.reason ?? '').slice(0, 60)]))}\n`);
  });
}

export async function onlineTraceCommand(traceId: string, flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(getTraceOnlineScores, { params: { project, trace: traceId } });
    if (flags.json) return printJson(res);
    if (res.rules.length === 0) return void process.stdout.write(`no online rule scored trace ${traceId}\n`);
    for (const r of res.rules) {
      process.stdout.write(`${r.rule}: ${r.sampled ? 'sampled' : 'flagged'}${r.flags.length ? ` (${r.flags.join(', ')})` : ''}, scored ${r.scoredAt}\n`);
      for (const s of r.scores) process.stdout.write(`  ${s.metric}: ${s.pass === null ? s.status : s.pass ? 'pass' : 'FAIL'}${s.label ? ` ${s.label}` : ''}${s.reason ? ` — ${s.reason}` : ''}\n`);
    }
  });
}

export async function onlineSeriesCommand(flags: OnlineFlags & { rule: string; signal?: string; metric?: string; by?: string; bucket?: string; since?: string; until?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(getOnlineSeries, {
      params: { project, rule: flags.rule },
      query: {
        ...(flags.signal ? { signal: flags.signal } : {}),
        ...(flags.metric ? { metric: flags.metric } : {}),
        ...(flags.by ? { by: flags.by } : {}),
        ...(flags.bucket ? { bucketMinutes: flags.bucket } : {}),
        ...(flags.since ? { since: flags.since } : {}),
        ...(flags.until ? { until: flags.until } : {}),
      },
    } as never);
    if (flags.json) return printJson(res);
    process.stdout.write(`${renderTable(['bucket', 'cohort', 'n', res.signal], res.cells.map((c) => [c.start, c.cohort, String(c.n), c.value === null ? '—' : c.value.toFixed(4)]), new Set([2, 3]))}\n`);
  });
}

export async function onlineJobsCommand(flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(getOnlineJobs, { params: { project }, query: {} } as never);
    if (flags.json) return printJson(res);
    process.stdout.write(`queue (${res.queue}): ${res.counts.queued} queued, ${res.counts.active} active, ${res.counts.completed} completed, ${res.counts.failed} dead-lettered\n`);
    for (const f of res.failed) process.stdout.write(`  ${f.id} ${f.key} after ${f.attempts} tries: ${f.error ?? ''}\n`);
  });
}

/**
 * Monitors name releases by name (`2.1.0`), id or variant; spans stamped with any of the release's
 * names or its variant count. A name no release has yet still matches spans stamped with it — said
 * here, so a typo is seen at once instead of as a monitor that waits on zero traces.
 */
async function releaseNotices(api: ApiCaller, project: string, file: string, monitors: readonly MonitorSpec[]): Promise<string[]> {
  const known = await api.call(listReleases, { params: { project }, query: { limit: 10_000 } });
  const knows = (ref: string): boolean => known.releases.some((r) => r.id === ref || r.variant === ref || r.names.includes(ref));
  const notices: string[] = [];
  monitors.forEach((m, i) => {
    const refs: [string, string | undefined][] = [['release', m.release], ...(m.detector.kind === 'canary' ? ([['detector.canary', m.detector.canary], ['detector.live', m.detector.live]] as [string, string][]) : [])];
    for (const [field, ref] of refs) {
      if (ref !== undefined && !knows(ref)) notices.push(`${file}: monitors.${i}.${field}: no release of ${project} is named "${ref}" yet; the monitor counts spans stamped "${ref}" (name the release with evalops run --release ${ref} or evalops releases name)`);
    }
  });
  return notices;
}
