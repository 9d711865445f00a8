import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { SpanKindSchema } from '../core/span.js';
import type { AttributeCondition, FeedbackPresence, FeedbackScoreRange, PageAfter, TraceListFilter } from '../store/span-queries.js';
import { PageCursorSchema } from './page-cursor.js';

/**
 * The query of the trace and session lists, one schema for both edges: the HTTP API parses its query
 * string with it, the CLI turns its flags into the same record of strings first. Every parameter is
 * checked, unknown ones are refused, and the error names the parameter.
 */

/** Epoch milliseconds or an ISO 8601 time. */
const TimeParam = z.string().transform((text, ctx) => {
  const ms = /^\d{1,16}(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `must be epoch milliseconds or an ISO 8601 time (got "${text}")` });
    return z.NEVER;
  }
  return ms;
});

const NumberParam = z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'must be a number').transform(Number);
const LimitParam = z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(1000));
const Text = z.string().min(1).max(500);

/** `key=value`; the key is an attribute name as instrumentations write them (dots, dashes, colons). */
const AttrParam = z.string().transform((pair, ctx): AttributeCondition => {
  const m = /^([A-Za-z0-9_.:/@-]{1,200})=(.{0,1000})$/s.exec(pair);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `must be key=value with a key of letters, digits and _ . : / @ - (got "${pair}")` });
    return z.NEVER;
  }
  return { key: m[1] as string, value: m[2] as string };
});

/** Feedback signal name, or `thumbs` (up 1, down 0). */
const ScoreNameParam = z.string().regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'must be "thumbs" or a signal name');

/** Unknown parameters are refused under their own name (a strict object reports them nameless). */
const UnknownParam = z.custom<unknown>(() => false, { error: 'is not a known parameter' });

export const TraceListQuerySchema = z
  .object({
    since: TimeParam.optional(),
    until: TimeParam.optional(),
    release: Text.optional(),
    kind: z.string().transform((k) => k.toUpperCase()).pipe(SpanKindSchema).optional(),
    session: Text.optional(),
    user: Text.optional(),
    errors: z.enum(['true', 'false']).optional(),
    attr: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(AttrParam).max(20)).optional(),
    hasFeedback: z.enum(['any', 'none', 'negative', 'positive']).optional(),
    minScore: NumberParam.optional(),
    maxScore: NumberParam.optional(),
    scoreName: ScoreNameParam.optional(),
    order: z.enum(['desc', 'asc']).optional(),
    cursor: PageCursorSchema.optional(),
    limit: LimitParam.optional(),
  })
  .catchall(UnknownParam)
  .refine((q) => q.minScore === undefined || q.maxScore === undefined || q.minScore <= q.maxScore, { message: 'must not be below minScore', path: ['maxScore'] })
  .refine((q) => q.scoreName === undefined || q.minScore !== undefined || q.maxScore !== undefined, { message: 'needs minScore or maxScore', path: ['scoreName'] });
export type TraceListQuery = z.input<typeof TraceListQuerySchema>;

/** What a trace list asks for (the project aside). */
export type TraceListParams = Omit<TraceListFilter, 'projectId'>;

/** since/until/release/user look at the spans that name the session (see SessionListFilter). */
export const SessionListQuerySchema = z
  .object({
    since: TimeParam.optional(),
    until: TimeParam.optional(),
    release: Text.optional(),
    user: Text.optional(),
    cursor: PageCursorSchema.optional(),
    limit: LimitParam.optional(),
  })
  .catchall(UnknownParam);
export type SessionListQuery = z.input<typeof SessionListQuerySchema>;

export interface SessionListParams {
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly release?: string;
  readonly userId?: string;
  readonly after?: PageAfter;
  readonly limit: number;
}

/** How a parameter is named where the mistake was made: `query parameter X` or a CLI flag. */
export type ParamNamer = (param: string) => string;

/**
 * Parses a trace-list query. `raw` is the query string as a record (repeated `attr` as an array).
 *
 * @example parseTraceListQuery({ attr: ['llm.model_name=gpt-4.1'], hasFeedback: 'negative' }, 'input', (p) => p)
 */
export function parseTraceListQuery(raw: unknown, code: 'input' | 'usage', nameOf: ParamNamer, defaultLimit = 50): TraceListParams {
  return toTraceListParams(parseWith(TraceListQuerySchema, raw, code, nameOf), defaultLimit);
}

/** A parsed trace-list query as the store's filter (the project aside). */
export function toTraceListParams(q: z.output<typeof TraceListQuerySchema>, defaultLimit = 50): TraceListParams {
  const score: FeedbackScoreRange | undefined =
    q.minScore === undefined && q.maxScore === undefined
      ? undefined
      : { ...(q.minScore === undefined ? {} : { min: q.minScore }), ...(q.maxScore === undefined ? {} : { max: q.maxScore }), ...(q.scoreName === undefined ? {} : { name: q.scoreName }) };
  return {
    order: q.order ?? 'desc',
    limit: q.limit ?? defaultLimit,
    ...(q.since === undefined ? {} : { sinceMs: q.since }),
    ...(q.until === undefined ? {} : { untilMs: q.until }),
    ...(q.release === undefined ? {} : { release: q.release }),
    ...(q.kind === undefined ? {} : { kind: q.kind }),
    ...(q.session === undefined ? {} : { sessionId: q.session }),
    ...(q.user === undefined ? {} : { userId: q.user }),
    ...(q.errors === 'true' ? { errorsOnly: true } : {}),
    ...(q.attr === undefined ? {} : { attributes: q.attr }),
    ...(q.hasFeedback === undefined ? {} : { hasFeedback: q.hasFeedback }),
    ...(score === undefined ? {} : { score }),
    ...(q.cursor === undefined ? {} : { after: q.cursor }),
  };
}

/** Parses a session-list query. */
export function parseSessionListQuery(raw: unknown, code: 'input' | 'usage', nameOf: ParamNamer, defaultLimit = 50): SessionListParams {
  return toSessionListParams(parseWith(SessionListQuerySchema, raw, code, nameOf), defaultLimit);
}

/** A parsed session-list query as the store's filter (the project aside). */
export function toSessionListParams(q: z.output<typeof SessionListQuerySchema>, defaultLimit = 50): SessionListParams {
  return {
    limit: q.limit ?? defaultLimit,
    ...(q.since === undefined ? {} : { sinceMs: q.since }),
    ...(q.until === undefined ? {} : { untilMs: q.until }),
    ...(q.release === undefined ? {} : { release: q.release }),
    ...(q.user === undefined ? {} : { userId: q.user }),
    ...(q.cursor === undefined ? {} : { after: q.cursor }),
  };
}

function parseWith<S extends z.ZodType>(schema: S, raw: unknown, code: 'input' | 'usage', nameOf: ParamNamer): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0];
  const what = key === undefined ? 'query' : nameOf(String(key));
  throw new EvalOpsError(code, `${what}: ${issue?.message ?? 'is invalid'}`, { details: { issues: parsed.error.issues } });
}
