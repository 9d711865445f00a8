/**
 * The resolver an application embeds: which release (and config — prompts, model, tools, data) a
 * subject gets, answered from memory. It fetches the project's resolution table once
 * (`GET /api/v1/projects/P/resolve/table`, src/core/resolution-table.ts) and computes each subject's
 * sticky bucket locally (src/core/subject-bucket.ts), so one request serves every subject; it
 * refreshes in the background every `refreshMs` with If-None-Match (a 304 costs no body).
 *
 * It fails static: when EvalOps cannot be reached or answers badly, it keeps the last table it had,
 * else it answers with the bundled `fallback`. `resolve` never throws and never waits on the network.
 */
import { createRequire } from 'node:module';
import type { ReleaseConfig } from '../core/release-config.js';
import { DEFAULT_TRACK, resolveSubject, ResolutionTableSchema, type ResolutionTable } from '../core/resolution-table.js';
import { renderTemplate, type TemplateScope } from '../core/template.js';

export interface ResolverOptions {
  /** The EvalOps server, e.g. `https://evalops.internal`. */
  readonly url: string;
  /** An API key of the project; a `resolve` key is enough and can do nothing else. */
  readonly key: string;
  readonly project: string;
  readonly track?: string;
  /** How often to look for changes, in ms: default 5,000, at most 5,000, at least 100. */
  readonly refreshMs?: number;
  /** What to answer before the first table arrives, or when none ever does: a config, with the release name to stamp. */
  readonly fallback?: { readonly release?: string; readonly config: ReleaseConfig };
  /** How long one fetch may take (default 2,000 ms). */
  readonly timeoutMs?: number;
  /** Told of every failed refresh (never thrown). */
  readonly onError?: (error: Error) => void;
  /** Stamp `evalops.release` on the active OpenTelemetry span (default true; needs @opentelemetry/api). */
  readonly stampSpans?: boolean;
  /** For tests and special runtimes (default: global fetch). */
  readonly fetch?: typeof fetch;
}

/** Where an answer came from. */
export type ResolvedSource = 'server' | 'last-known' | 'fallback';

export interface ResolvedConfig {
  /** The release's name (or variant when it has no name); the fallback's `release`; null when none. */
  readonly release: string | null;
  readonly releaseId: string | null;
  readonly status: 'live' | 'canary' | null;
  readonly config: ReleaseConfig | null;
  readonly configHash: string | null;
  readonly bucket: number | null;
  /** `server`: from a table fetched within the refresh interval; `last-known`: from an older one (EvalOps unreachable); `fallback`: no table yet. */
  readonly source: ResolvedSource;
}

export interface Resolver {
  /** The subject's release and config, from memory; stamps `evalops.release` on the active span. Never throws. */
  resolve(subject: string): ResolvedConfig;
  /** Resolves once the first fetch has finished (well or not). Never rejects. */
  ready(): Promise<void>;
  /** Fetches now (the background loop keeps going). Never rejects. */
  refresh(): Promise<void>;
  /** What the resolver holds: the table's ETag, when it was last confirmed, and the last error. */
  status(): { readonly etag: string | null; readonly confirmedAt: number | null; readonly lastError: string | null };
  /** Stops the background refresh. */
  close(): void;
}

interface SpanApi {
  trace: { getActiveSpan(): { setAttribute(key: string, value: string): unknown } | undefined };
}

/**
 * @example
 * const resolver = createResolver({ url: 'http://127.0.0.1:8080', key: process.env.EVALOPS_RESOLVE_KEY!, project: 'support-bot', fallback: { release: 'bundled', config } });
 * await resolver.ready();
 * const { config } = resolver.resolve(userId); // config.model.id, config.prompts.system.template …
 */
export function createResolver(options: ResolverOptions): Resolver {
  const track = options.track ?? DEFAULT_TRACK;
  const refreshMs = Math.max(100, Math.min(5000, options.refreshMs ?? 5000));
  const doFetch = options.fetch ?? fetch;
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/v1/projects/${encodeURIComponent(options.project)}/resolve/table?track=${encodeURIComponent(track)}`;
  const spans = options.stampSpans === false ? undefined : loadSpanApi();
  let table: ResolutionTable | undefined;
  let confirmedAt: number | null = null;
  let lastError: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let inFlight: Promise<void> | undefined;

  const fallback: ResolvedConfig = {
    release: options.fallback?.release ?? null,
    releaseId: null,
    status: null,
    config: options.fallback?.config ?? null,
    configHash: null,
    bucket: null,
    source: 'fallback',
  };

  async function fetchOnce(): Promise<void> {
    try {
      const res = await doFetch(endpoint, {
        headers: { authorization: `Bearer ${options.key}`, accept: 'application/json', ...(table ? { 'if-none-match': `"${table.etag}"` } : {}) },
        signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      });
      if (res.status === 304 && table) {
        confirmedAt = Date.now();
        lastError = null;
        return;
      }
      if (!res.ok) throw new Error(`resolve table: HTTP ${res.status} ${(await res.text().catch(() => '')).slice(0, 300)}`);
      const parsed = ResolutionTableSchema.safeParse(await res.json());
      if (!parsed.success) throw new Error(`resolve table: unexpected answer: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      table = parsed.data;
      confirmedAt = Date.now();
      lastError = null;
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      lastError = error.message;
      try {
        options.onError?.(error);
      } catch {
        // the application's error handler must not break the loop
      }
    }
  }

  function refresh(): Promise<void> {
    inFlight ??= fetchOnce().finally(() => (inFlight = undefined));
    return inFlight;
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => void refresh().then(schedule), refreshMs);
    timer.unref?.();
  }

  const first = refresh().then(schedule);

  function answer(subject: string): ResolvedConfig {
    if (!table) return fallback;
    const r = resolveSubject(table, subject);
    const source: ResolvedSource = confirmedAt !== null && Date.now() - confirmedAt <= 2 * refreshMs + (options.timeoutMs ?? 2000) ? 'server' : 'last-known';
    if (!r.release) return { ...fallback, bucket: r.bucket, source };
    return { release: r.release.name ?? r.release.variant, releaseId: r.release.id, status: r.release.status, config: r.config, configHash: r.release.configHash, bucket: r.bucket, source };
  }

  return {
    resolve(subject: string): ResolvedConfig {
      let resolved: ResolvedConfig;
      try {
        resolved = answer(String(subject));
      } catch {
        resolved = fallback;
      }
      if (spans && resolved.release !== null) {
        try {
          spans.trace.getActiveSpan()?.setAttribute('evalops.release', resolved.release);
        } catch {
          // stamping is best effort
        }
      }
      return resolved;
    },
    ready: () => first,
    refresh,
    status: () => ({ etag: table?.etag ?? null, confirmedAt, lastError }),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * A release config's prompt rendered with the template placeholders of src/core/template.ts; `otherwise`
 * when the config (or the prompt) is missing.
 * @example renderReleasePrompt(resolved.config, 'user', { input: { question } }, question)
 */
export function renderReleasePrompt(config: ReleaseConfig | null, name: string, scope: TemplateScope, otherwise = ''): string {
  const template = config?.prompts?.[name]?.template;
  return template === undefined ? otherwise : renderTemplate(template, scope);
}

/** @opentelemetry/api when the application has it (an optional peer dependency). */
function loadSpanApi(): SpanApi | undefined {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as SpanApi;
  } catch {
    return undefined;
  }
}
