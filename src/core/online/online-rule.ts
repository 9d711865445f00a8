import { z } from 'zod';
import { MetricSchema } from '../metric.js';
import { fileReferences } from '../scorer-files.js';
import { SpanKindSchema } from '../span.js';
import { DEFAULT_SESSION_FLAGS, SessionFlagSpecSchema } from './session-flags.js';
import { FlagSpecSchema, DEFAULT_FLAGS } from './trace-flags.js';

/**
 * An online rule (DESIGN.md §3): which incoming traces it looks at (filter), what share of them it
 * scores (a sample deterministic by trace id, so every replica and worker picks the same traces), the
 * metrics it runs on them, and the flags that pick interesting traces beyond the sample (errors,
 * negative feedback, long sessions, repeated questions, frustration, low judge confidence). Flagged
 * traces are scored too and can feed a review queue, but only sampled traces count in the time series,
 * so the monitors see an unbiased estimate of production quality.
 */

const AttributeValue = z.union([z.string(), z.number(), z.boolean()]);

export const OnlineFilterSchema = z.strictObject({
  /** Releases (the spans' `evalops.release` / `service.version`) the rule looks at; any when absent. */
  releases: z.array(z.string().min(1)).max(100).optional(),
  /** Services (resource `service.name`). */
  services: z.array(z.string().min(1)).max(100).optional(),
  /** The trace must hold a span of one of these kinds (e.g. LLM, TOOL, AGENT). */
  spanKinds: z.array(SpanKindSchema).max(20).optional(),
  /** Root-span attributes that must equal these values, e.g. { "evalops.slice.locale": "de" }. */
  attributes: z.record(z.string().min(1), AttributeValue).optional(),
  /** Only traces with this user feedback: any, negative, positive, or none at all. */
  feedback: z.enum(['any', 'negative', 'positive', 'none']).optional(),
});
export type OnlineFilter = z.infer<typeof OnlineFilterSchema>;

/**
 * How a rule that targets sessions decides a session is ready, and which session flags it raises.
 * A session is ready when no trace of it has arrived for `idleSeconds`, or as soon as a span of it
 * carries `evalops.session.end: true` (docs/sessions.md).
 */
export const SessionSettingsSchema = z.strictObject({
  idleSeconds: z.number().int().min(1).max(7 * 24 * 3600).default(900),
  flags: z.array(SessionFlagSpecSchema).max(20).default(DEFAULT_SESSION_FLAGS),
});
export type SessionSettings = z.infer<typeof SessionSettingsSchema>;

const OnlineRuleFieldsSchema = z.strictObject({
  name: z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'rule names use letters, digits, ".", "_" and "-"'),
  description: z.string().max(2000).optional(),
  filter: OnlineFilterSchema.prefault({}),
  /** Share of matching traces scored, 0..1, decided by a hash of the trace id. */
  sampleRate: z.number().min(0).max(1).default(0.1),
  /** What to score; code, judge and similarity scorers (a `human` scorer has no online value). */
  metrics: z
    .array(MetricSchema)
    .min(1, 'an online rule needs at least one metric')
    .max(20)
    .superRefine((metrics, ctx) => {
      const seen = new Set<string>();
      metrics.forEach((m, i) => {
        if (m.scorer.type === 'human') ctx.addIssue({ code: 'custom', path: [i, 'scorer', 'type'], message: 'a human scorer cannot run online; route flagged traces to a review queue instead' });
        if (seen.has(m.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate metric name "${m.name}"` });
        seen.add(m.name);
      });
    }),
  flags: z.array(FlagSpecSchema).max(20).default(DEFAULT_FLAGS),
  /** Review queue (name) that flagged traces are added to. */
  reviewQueue: z.string().min(1).max(200).optional(),
  /** Spend limit of the rule's judges per UTC day; sampling stops, and an alert opens, when it is spent. */
  budgetUsdPerDay: z.number().positive().max(1_000_000).optional(),
  /**
   * Seconds to wait after a trace's root span arrives before scoring it, so late child spans and
   * early feedback are in. Also bounds how far a slow ingest commit may lag the sweep.
   */
  settleSeconds: z.number().int().min(1).max(3600).default(10),
  /** Root-span attributes that define cohorts in the time series, beside release and variant. */
  cohortAttributes: z.array(z.string().min(1)).max(10).default([]),
  /**
   * What one score is about: a trace (default), or a whole session (the traces sharing a session id)
   * once it is ready, scored as a transcript by the same metrics (session scorers read `transcript`).
   */
  target: z.enum(['traces', 'sessions']).default('traces'),
  /** Readiness and flags of sessions; only with `target: sessions` (defaults apply when absent). */
  session: SessionSettingsSchema.optional(),
});

export const OnlineRuleSpecSchema = OnlineRuleFieldsSchema.superRefine((spec, ctx) => {
  if (spec.session !== undefined && spec.target !== 'sessions') ctx.addIssue({ code: 'custom', path: ['session'], message: 'session settings need target: sessions' });
});
export type OnlineRuleSpec = z.infer<typeof OnlineRuleSpecSchema>;
export type OnlineRuleSpecInput = z.input<typeof OnlineRuleSpecSchema>;

/**
 * An online rule as it comes in a request (the API, and `evalops online apply`, which goes through
 * it): declarative scorers only, or scorers registered by the operator by name. No parameter may name
 * a file, since the server and the worker would read or import what the request names.
 */
export const RequestOnlineRuleSpecSchema = OnlineRuleSpecSchema.superRefine((spec, ctx) => {
  spec.metrics.forEach((metric, i) => {
    for (const ref of fileReferences(metric.scorer)) ctx.addIssue({ code: 'custom', path: ['metrics', i, 'scorer', ...ref.path], message: ref.message });
  });
});

/** A session rule's settings, its defaults filled in. */
export function sessionSettings(spec: OnlineRuleSpec): SessionSettings {
  return spec.session ?? SessionSettingsSchema.parse({});
}
