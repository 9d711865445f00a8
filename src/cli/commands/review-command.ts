import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ApiCaller } from '../../api/api-caller.js';
import {
  addReviewItems,
  adjudicateReviewItem,
  createReviewQueue,
  getQueueAgreement,
  getReviewQueue,
  labelReviewItem,
  listReviewItems,
  listReviewQueues,
  nextReviewItem,
  promoteReviewItem,
  releaseReviewItem,
  skipReviewItem,
} from '../../api/review-operations.js';
import { getReviewBurden } from '../../api/calibration-operations.js';
import type { AgreementStat, AgreementView } from '../../api/agreement-view.js';
import type { OperationCall } from '../../api/operation.js';
import type { ReviewItemView, ReviewQueueView } from '../../api/review-schemas.js';
import { loadConfig } from '../../config/load-config.js';
import { EvalOpsError } from '../../core/errors.js';
import { ROUTE_RULES, type RouteRule } from '../../core/review/routing-rule.js';
import { MAX_LEASE_MINUTES } from '../../review/review-queue-service.js';
import { rubricFromLabels, type Rubric } from '../../core/review/rubric.js';
import { outputText } from '../../core/target-output.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { readIdFile, withIdLines, type IdLine } from '../read-id-file.js';
import { parseTraceListQuery } from '../../traces/trace-query.js';
import { renderTable } from '../render-table.js';
import { isJudgeConfig } from '../../core/judge-scorer-types.js';

/**
 * `evalops review queues list|create|show`, `review add|next|label|adjudicate|agreement|export|
 * promote|burden`: thin — parse the flags, call one operation (local or --server), print.
 */

interface Flags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

async function withApi(flags: Flags, body: (api: ApiCaller, project: string) => Promise<void>): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      await body(api, await projectFor(api, flags));
    } finally {
      await api.close();
    }
  });
}

export async function queuesListCommand(flags: Flags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const { queues } = await api.call(listReviewQueues, { params: { project } });
    if (flags.json) return printJson({ project, queues });
    if (queues.length === 0) return void process.stdout.write(`no review queues in project "${project}" yet; create one with \`evalops review queues create NAME --metric M\`\n`);
    process.stdout.write(
      `${renderTable(
        ['queue', 'metric', 'per item', 'items', 'settled', 'disputed', 'labels'],
        queues.map((q) => [q.name, q.metric, String(q.reviewersPerItem), String(q.progress.items), String(q.progress.settled), String(q.progress.disputed), String(q.progress.labels)]),
        new Set([2, 3, 4, 5, 6]),
      )}\n`,
    );
  });
}

const ListFlag = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));

export async function queuesCreateCommand(
  name: string,
  flags: Flags & { metric: string; labels?: string; pass?: string; rubric?: string; reviewers?: string; perItem?: string; nominal?: boolean; leaseMinutes?: string },
): Promise<void> {
  await withApi(flags, async (api, project) => {
    const reviewersPerItem = parseIntFlag(flags.perItem, '--per-item', 1, 20) ?? 1;
    const leaseMinutes = parseIntFlag(flags.leaseMinutes, '--lease-minutes', 1, MAX_LEASE_MINUTES);
    const derived = await rubricFor(flags);
    // --nominal: the labels are categories without an order (topic tags), whatever their pass labels say.
    const rubric = flags.nominal ? { ...derived, ordinal: false } : derived;
    const reviewers = flags.reviewers === undefined ? [] : ListFlag.parse(flags.reviewers);
    const queue = await api.call(createReviewQueue, { params: { project }, body: { name, metric: flags.metric, rubric, reviewers, reviewersPerItem, ...(leaseMinutes === undefined ? {} : { leaseMinutes }) } });
    if (flags.json) return printJson(queue);
    process.stdout.write(
      `queue ${queue.name} (${queue.id}) reviews ${queue.metric}: labels ${labelsText(queue)}${queue.rubric.ordinal ? '' : ' (nominal)'}; ${queue.reviewersPerItem} reviewer(s) per item${queue.reviewers.length ? `; reviewers ${queue.reviewers.join(', ')}` : ''}; lease ${queue.leaseMinutes} min\n`,
    );
  });
}

/** The rubric: --labels/--pass, else the metric's judge or human scorer in the config; definitions from --rubric. */
async function rubricFor(flags: { config?: string; metric: string; labels?: string; pass?: string; rubric?: string }): Promise<Rubric> {
  let labels = flags.labels === undefined ? undefined : ListFlag.parse(flags.labels);
  let pass = flags.pass === undefined ? undefined : ListFlag.parse(flags.pass);
  if (labels === undefined || pass === undefined) {
    const loaded = await loadConfig(flags.config).catch((e: unknown) => {
      if (e instanceof EvalOpsError && e.code === 'usage') throw new EvalOpsError('usage', `no config found to read the labels of ${flags.metric} from; give --labels and --pass`);
      throw e;
    });
    const metric = loaded.config.metrics.find((m) => m.name === flags.metric);
    if (!metric) throw new EvalOpsError('usage', `metric ${flags.metric} is not in ${loaded.path}`, { location: '--metric' });
    if (!isJudgeConfig(metric.scorer) && metric.scorer.type !== 'human') throw new EvalOpsError('usage', `metric ${flags.metric} has a ${metric.scorer.type} scorer, with no labels; give --labels and --pass`, { location: '--metric' });
    labels ??= [...metric.scorer.labels];
    pass ??= [...metric.scorer.pass];
  }
  const definitions = flags.rubric === undefined ? {} : await readDefinitions(flags.rubric);
  const unknown = Object.keys(definitions).filter((l) => !labels.includes(l));
  if (unknown.length > 0) throw new EvalOpsError('input', `${flags.rubric}: defines label(s) ${unknown.join(', ')}, not among ${labels.join(', ')}`, { location: flags.rubric });
  try {
    return rubricFromLabels(labels, pass, definitions);
  } catch (e) {
    if (e instanceof z.ZodError) throw new EvalOpsError('usage', e.issues.map((i) => i.message).join('; '), { location: '--labels/--pass' });
    throw e;
  }
}

async function readDefinitions(path: string): Promise<Record<string, string>> {
  const text = await readFile(path, 'utf8').catch((e: unknown) => {
    throw new EvalOpsError('usage', `cannot read --rubric ${path}: ${(e as Error).message}`);
  });
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new EvalOpsError('input', `${path}: not YAML or JSON: ${(e as Error).message}`, { location: path });
  }
  const parsed = z.record(z.string(), z.string()).safeParse(raw);
  if (!parsed.success) throw new EvalOpsError('input', `${path}: must map each label to its definition, e.g. "poor: misses the question"`, { location: path });
  return parsed.data;
}

export async function queuesShowCommand(queueRef: string, flags: Flags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const queue = await api.call(getReviewQueue, { params: { project, queue: queueRef } });
    const agreement = await api.call(getQueueAgreement, { params: { project, queue: queueRef } });
    if (flags.json) return printJson({ ...queue, agreement });
    const p = queue.progress;
    process.stdout.write(`queue ${queue.name} · metric ${queue.metric} · labels ${labelsText(queue)} · ${queue.reviewersPerItem} per item\n`);
    process.stdout.write(`${p.items} items: ${p.settled} settled, ${p.disputed} disputed, ${p.items - p.complete} waiting for labels\n`);
    if (p.reviewers.length > 0) {
      process.stdout.write(`\n${renderTable(['reviewer', 'labelled', 'open', 'minutes'], p.reviewers.map((r) => [r.reviewer, String(r.labelled), String(r.open), (r.seconds / 60).toFixed(1)]), new Set([1, 2, 3]))}\n`);
    }
    process.stdout.write(`\n${agreementText(agreement)}\n`);
  });
}

type AddFlags = Flags & { run?: string; rule?: string[]; sample?: string; example?: string[]; trace?: string[]; file?: string; filter?: string[]; negativeFeedback?: boolean; limit?: string };

export async function reviewAddCommand(queueRef: string, flags: AddFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const fromTraces = [(flags.trace ?? []).length > 0, flags.negativeFeedback === true, (flags.filter ?? []).length > 0, flags.file !== undefined && flags.run === undefined].filter(Boolean).length;
    if ((flags.run !== undefined ? 1 : 0) + fromTraces !== 1) {
      throw new EvalOpsError('usage', 'say where items come from, one of: --run RUN (with --rule, --sample, --example or --file), --trace ID…, --file IDS (trace ids), --filter KEY=VALUE…, or --negative-feedback');
    }
    const lines = flags.file === undefined ? [] : await readIdFile(flags.file, flags.run !== undefined ? /^\S{1,200}$/ : /^[0-9a-fA-F]{32}$/, flags.run !== undefined ? 'an example id' : 'a trace id (32 hex digits)');
    const fileIds = lines.map((l) => l.id);
    let body: AddItemsBody;
    if (flags.run !== undefined) {
      const rules = (flags.rule ?? []).map((r) => {
        if (!(ROUTE_RULES as readonly string[]).includes(r)) throw new EvalOpsError('usage', `--rule must be one of ${ROUTE_RULES.join(', ')} (got "${r}")`);
        return r as RouteRule;
      });
      const sample = flags.sample === undefined ? 0 : z.coerce.number().min(0).max(1).safeParse(flags.sample);
      if (typeof sample !== 'number' && !sample.success) throw new EvalOpsError('usage', `--sample must be a share from 0 to 1 (got "${flags.sample}")`);
      body = { from: 'run', runId: flags.run, rules, sampleRate: typeof sample === 'number' ? sample : sample.data, exampleIds: [...(flags.example ?? []), ...fileIds] };
    } else if (flags.negativeFeedback) {
      body = { from: 'traces', filter: { hasFeedback: 'negative', limit: String(parseIntFlag(flags.limit, '--limit', 1, 10_000) ?? 100) } };
    } else if ((flags.filter ?? []).length > 0) {
      body = { from: 'traces', filter: traceFilterOf(flags.filter ?? []) };
    } else {
      body = { from: 'traces', traceIds: [...(flags.trace ?? []), ...fileIds] };
    }
    const added = await (flags.file === undefined ? addItems(api, { project, queue: queueRef }, body) : withIdLines(flags.file, lines, () => addItems(api, { project, queue: queueRef }, body)));
    if (flags.json) return printJson(added);
    const reasons = Object.entries(added.byReason).map(([r, n]) => `${n} ${r}`).join(', ');
    process.stdout.write(`${added.added} item(s) added to ${added.queue} (${added.skipped} already there) from ${added.considered} considered${reasons ? `: ${reasons}` : ''}\n`);
  });
}

/**
 * `--filter KEY=VALUE` (repeatable): the query parameters of the trace list (GET …/traces, the
 * filters of `evalops traces list`): since, until, release, kind, session, user, errors, attr
 * (repeatable), hasFeedback, minScore, maxScore, scoreName, order, limit. Checked here, so a mistake
 * names the flag.
 */
function traceFilterOf(pairs: readonly string[]): Record<string, string | string[]> {
  const filter: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new EvalOpsError('usage', `--filter takes KEY=VALUE, e.g. hasFeedback=negative or attr=llm.model_name=gpt-4.1 (got "${pair}")`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (key === 'attr') filter.attr = [...((filter.attr as string[] | undefined) ?? []), value];
    else if (key in filter) throw new EvalOpsError('usage', `--filter ${key} is given twice`);
    else filter[key] = value;
  }
  parseTraceListQuery(filter, 'usage', (p) => `--filter ${p}`);
  return filter;
}

type AddItemsBody = NonNullable<OperationCall<typeof addReviewItems>['body']>;

function addItems(api: ApiCaller, params: { project: string; queue: string }, body: AddItemsBody) {
  return api.call(addReviewItems, { params, body });
}

export async function reviewNextCommand(queueRef: string, flags: Flags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const next = await api.call(nextReviewItem, { params: { project, queue: queueRef } });
    if (flags.json) return printJson(next);
    if (next.item === null) return void process.stdout.write(`nothing left for ${next.reviewer} in ${next.queue}\n`);
    process.stdout.write(`${itemText(next.item)}\n\nlabel it: evalops review label ${next.queue} ${next.item.id} LABEL\n`);
  });
}

/** `evalops review skip|release QUEUE ITEM`: give back an item you hold (skip: never offered to you again). */
export async function reviewGiveBackCommand(how: 'skip' | 'release', queueRef: string, itemId: string, flags: Flags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const item = await api.call(how === 'skip' ? skipReviewItem : releaseReviewItem, { params: { project, queue: queueRef, item: itemId } });
    if (flags.json) return printJson(item);
    process.stdout.write(how === 'skip' ? `skipped ${item.id}: it goes to another reviewer, never back to you\n` : `released ${item.id}: it is back in ${item.queue}\n`);
  });
}

export async function reviewLabelCommand(queueRef: string, itemId: string, label: string, flags: Flags & { note?: string; seconds?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const seconds = flags.seconds === undefined ? undefined : z.coerce.number().min(0).max(86_400).safeParse(flags.seconds);
    if (seconds && !seconds.success) throw new EvalOpsError('usage', `--seconds must be a number of seconds from 0 to 86,400 (got "${flags.seconds}")`);
    const item = await api.call(labelReviewItem, { params: { project, queue: queueRef, item: itemId }, body: { label, ...(flags.note ? { note: flags.note } : {}), ...(seconds?.success ? { seconds: seconds.data } : {}) } });
    if (flags.json) return printJson(item);
    process.stdout.write(`labelled ${item.id} "${label}"${item.truth ? ` · settled: ${item.truth}` : ` · ${item.labelled} label(s) so far`}\n`);
  });
}

export async function reviewAdjudicateCommand(queueRef: string, itemId: string, label: string, flags: Flags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const item = await api.call(adjudicateReviewItem, { params: { project, queue: queueRef, item: itemId }, body: { label } });
    if (flags.json) return printJson(item);
    process.stdout.write(`${item.id} settled as "${item.truth}" by ${item.truthBy}\n`);
  });
}

export async function reviewAgreementCommand(queueRef: string, flags: Flags & { pair?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const agreement = await api.call(getQueueAgreement, { params: { project, queue: queueRef }, query: flags.pair === undefined ? {} : { pair: flags.pair } });
    if (flags.json) return printJson(agreement);
    process.stdout.write(`${agreementText(agreement)}\n`);
  });
}

export async function reviewExportCommand(queueRef: string, flags: Flags & { status?: string; out?: string }): Promise<void> {
  await withErrorHandling(false, async () => {
    const status = z.enum(['all', 'open', 'settled', 'disputed']).safeParse(flags.status ?? 'all');
    if (!status.success) throw new EvalOpsError('usage', `--status must be all, open, settled or disputed (got "${flags.status}")`);
    const api = await openApiCaller(flags);
    const out = flags.out ? createWriteStream(flags.out) : process.stdout;
    try {
      const project = await projectFor(api, flags);
      let after: number | undefined;
      let count = 0;
      for (;;) {
        const page = await api.call(listReviewItems, { params: { project, queue: queueRef }, query: { status: status.data, limit: 1000, ...(after === undefined ? {} : { after }) } });
        for (const item of page.items) out.write(`${JSON.stringify(item)}\n`);
        count += page.items.length;
        if (page.nextAfter === null) break;
        after = page.nextAfter;
      }
      if (flags.out) process.stderr.write(`${count} item(s) written to ${flags.out}\n`);
    } finally {
      if (flags.out) await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
      await api.close();
    }
  });
}

export async function reviewPromoteCommand(queueRef: string, itemId: string, flags: Flags & { dataset: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const r = await api.call(promoteReviewItem, { params: { project, queue: queueRef, item: itemId }, body: { dataset: flags.dataset } });
    if (flags.json) return printJson(r);
    process.stdout.write(`${r.exampleId} ${r.created ? 'added to' : 'already in'} ${r.dataset} (version ${r.version.slice(0, 12)}, ${r.examples} examples)\n`);
  });
}

export async function reviewBurdenCommand(flags: Flags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const b = await api.call(getReviewBurden, { params: { project } });
    if (flags.json) return printJson(b);
    const share = b.routedShare === null ? 'no run results routed yet' : `${(b.routedShare * 100).toFixed(1)}% of ${b.resultsInRoutedRuns} results routed to reviewers`;
    process.stdout.write(`${share}; ${b.traceItems} trace item(s); ${b.labels} label(s)${b.minutesPerLabel === null ? '' : `, ${b.minutesPerLabel.toFixed(1)} min per label`}; ${b.settled} settled\n`);
  });
}

function labelsText(queue: ReviewQueueView): string {
  return queue.rubric.labels.map((l) => (queue.rubric.pass.includes(l.label) ? `${l.label}✓` : l.label)).join(' < ');
}

function itemText(item: ReviewItemView): string {
  const lines = [`item ${item.id} (${item.reason}, ${item.key})`, `input:    ${outputText(item.input)}`];
  if (item.expected !== undefined) lines.push(`expected: ${outputText(item.expected)}`);
  lines.push(`output:   ${outputText(item.output)}`);
  if (item.toolCalls.length) lines.push(`tools:    ${item.toolCalls.map((t) => `${t.name}(${JSON.stringify(t.arguments)})`).join(', ')}`);
  if (item.slices.length) lines.push(`slices:   ${item.slices.join(' ')}`);
  return lines.join('\n');
}

function statText(s: AgreementStat, digits = 3): string {
  if (s.value === null) return `— (${s.reason ?? 'undefined'})`;
  return `${s.value.toFixed(digits)}${s.ci95 ? ` [${s.ci95[0].toFixed(digits)}, ${s.ci95[1].toFixed(digits)}]` : ''}`;
}

function agreementText(r: AgreementView): string {
  const lines = [
    `${r.nPairableItems} item(s) with two or more labels, ${r.nRatings} label(s) by ${r.raters.length} reviewer(s)`,
    `percent agreement      ${statText(r.percentAgreement)}`,
    `Cohen's kappa          ${statText(r.cohenKappa)}`,
    `weighted kappa (quad.) ${statText(r.weightedCohenKappa)}`,
    `Fleiss' kappa          ${statText(r.fleissKappa)}`,
    `Krippendorff's alpha   ${statText(r.krippendorffAlpha)} (${r.krippendorffAlpha.metric})`,
  ];
  if (r.pairwise.length > 0) {
    lines.push(
      '',
      "Cohen's kappa per reviewer pair (95% interval, Fleiss–Cohen–Everitt standard error):",
      renderTable(
        ['pair', 'items', 'unweighted', 'linear', 'quadratic'],
        r.pairwise.map((p) => [`${p.raters[0]} × ${p.raters[1]}`, String(p.n), statText(p.unweighted), statText(p.linear), statText(p.quadratic)]),
        new Set([1]),
      ),
    );
  }
  const interval = (v: number | null, ci: readonly [number, number] | null): string => (v === null ? '—' : `${v.toFixed(3)}${ci ? ` [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]` : ''}`);
  if (r.perLabel.some((l) => l.specificAgreement !== null || l.kappa !== null)) {
    lines.push(
      '',
      'per label (95% bootstrap interval over items):',
      renderTable(
        ['label', 'ratings', 'specific agreement', 'kappa vs rest'],
        r.perLabel.map((l) => [l.label, String(l.nRatings), interval(l.specificAgreement, l.specificAgreementCi95), interval(l.kappa, l.kappaCi95)]),
        new Set([1]),
      ),
    );
  }
  const open = r.disagreements.filter((d) => !d.adjudicated);
  if (open.length > 0) lines.push('', `${open.length} disputed item(s) to adjudicate:`, ...open.slice(0, 20).map((d) => `  ${d.item}: ${d.labels.map((l) => `${l.rater}=${l.label}`).join(', ')}`));
  return lines.join('\n');
}
