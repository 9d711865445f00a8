/**
 * `http` target: a deployed endpoint. The url, headers and body are templates over `{ input, metadata }`
 * (headers may also read `{{env.NAME}}`, so secrets stay out of the config file). The output is the
 * response (JSON or text), or the value at `responsePath`; tool calls come from `toolCallsPath`.
 * In a conversation the scope also has `messages` (the history, as a JSON array where `"{{messages}}"`
 * is a whole body value) and `conversation: { turn, exampleId }`, and `input` is the user's newest
 * message; without a `body` the request is `{ "messages": [...] }`.
 */
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { isRetryableStatus, parseRetryAfter } from '../core/retry-after.js';
import type { TargetConfigOf } from '../core/target-config.js';
import type { TargetOutput } from '../core/target-output.js';
import { renderDeep, renderTemplate, type TemplateScope } from '../core/template.js';
import { checkedTargetOutput } from './checked-target-output.js';
import { deploymentVersion } from './deployment-version.js';
import { startDeadline } from './deadline.js';
import { readResponseText } from './read-response-text.js';
import { responseOutput } from './response-output.js';
import type { ConverseContext, InvokeContext, Target, TargetFactory } from './target.js';
import type { ChatMessage } from '../core/transcript.js';

type HttpConfig = TargetConfigOf<'http'>;

/** Characters of an error response quoted in the error message. */
const BODY_EXCERPT = 200;
const ENV_PLACEHOLDER = /\{\{\s*env\.([A-Za-z_]\w*)\s*\}\}/g;
const PLACEHOLDER = /\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/g;

/**
 * The variant hashes url, method, body, response paths, version and the rendered `cache.key`, never
 * the headers (they hold secrets and do not define behaviour). The config cannot say which code
 * answers behind the URL, so without `cache.key` the response cache is not read across runs.
 * @example await httpTarget({ type: 'http', url: 'https://bot.internal/chat', method: 'POST', headers: {}, timeoutMs: 30_000 }, deps)
 */
export const httpTarget: TargetFactory<'http'> = async (config) => {
  checkConfig(config);
  const deployment = config.cache === undefined ? undefined : renderCacheKey(config.cache.key, process.env);
  const deployedVersion = config.cache?.versionUrl === undefined ? undefined : await deploymentVersion(config.cache.versionUrl, config.headers, config.timeoutMs);
  const variant = contentHash({
    type: 'http',
    url: config.url,
    method: config.method,
    body: config.body,
    responsePath: config.responsePath,
    toolCallsPath: config.toolCallsPath,
    version: config.version,
    ...(deployment === undefined ? {} : { deployment }),
    ...(deployedVersion === undefined ? {} : { deployedVersion }),
  });
  return {
    type: 'http',
    variant,
    ...(deployment === undefined
      ? { cacheReadsOffReason: 'the http target has no cache.key saying which deployment answers (e.g. cache: { key: "{{env.GIT_SHA}}" }), so no result was served from the cache of an earlier run' }
      : {}),
    invoke: (input, context) => invokeHttp(config, { input, metadata: context.metadata }, { input }, context),
    converse: (messages, context) => invokeHttp(config, conversationScope(messages, context), { messages }, context),
  } satisfies Target;
};

function checkConfig(config: HttpConfig): void {
  if (!config.url.includes('{{') && !URL.canParse(config.url)) {
    throw new EvalOpsError('config', `invalid url "${config.url}"`, { location: 'target.url' });
  }
  for (const [name, value] of Object.entries(config.headers)) {
    for (const match of value.matchAll(ENV_PLACEHOLDER)) {
      const variable = match[1] as string;
      if (process.env[variable] === undefined) {
        throw new EvalOpsError('config', `header ${name} uses {{env.${variable}}}, but ${variable} is not set`, {
          location: `target.headers.${name}`,
        });
      }
    }
  }
}

/**
 * Renders `cache.key` over `{{env.NAME}}`; a key that renders empty, or any placeholder in it that
 * does, is a config error naming `target.cache.key` — an unset GIT_SHA must not make every
 * deployment share one cache.
 * @example renderCacheKey('build-{{env.GIT_SHA}}', { GIT_SHA: 'abc' }) // 'build-abc'
 */
export function renderCacheKey(template: string, env: Readonly<Record<string, string | undefined>>): string {
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (renderTemplate(match[0], { env }).trim() === '') {
      const name = /env\.([A-Za-z_]\w*)/.exec(match[0])?.[1];
      const why = name ? ` (${name} is not set or empty)` : ' (only {{env.NAME}} placeholders are available here)';
      throw new EvalOpsError('config', `cache key ${match[0].replace(/\s+/g, '')} renders empty${why}`, { location: 'target.cache.key' });
    }
  }
  const key = renderTemplate(template, { env }).trim();
  if (key === '') throw new EvalOpsError('config', 'cache key renders empty', { location: 'target.cache.key' });
  return key;
}

function conversationScope(messages: readonly ChatMessage[], context: ConverseContext): TemplateScope {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return { input: lastUser?.content ?? '', messages, conversation: context.conversation, metadata: context.metadata };
}

/** `defaultBody` is what is sent without a `body` template: `{ input }`, or `{ messages }` in a conversation. */
async function invokeHttp(config: HttpConfig, scope: TemplateScope, defaultBody: unknown, context: InvokeContext): Promise<TargetOutput> {
  const url = renderUrl(config.url, scope);
  const request = buildRequest(config, scope, defaultBody);
  const deadline = startDeadline(context.signal, config.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { ...request, signal: deadline.signal });
    } catch (cause) {
      throw networkError(cause, url, deadline.signal);
    }
    const text = await readResponseText(response).catch((cause: unknown) => {
      throw networkError(cause, url, deadline.signal);
    });
    if (!response.ok) throw statusError(response, text);
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return checkedTargetOutput(responseOutput(text, { json, responsePath: config.responsePath, toolCallsPath: config.toolCallsPath, exampleId: context.exampleId }));
  } finally {
    deadline.dispose();
  }
}

/** Substitutes url placeholders URL-encoded, so `?q={{input.q}}` survives `&`, `#` and spaces. */
function renderUrl(template: string, scope: TemplateScope): URL {
  const text = template.replace(PLACEHOLDER, (placeholder) => encodeURIComponent(renderTemplate(placeholder, scope)));
  try {
    return new URL(text);
  } catch (cause) {
    throw new EvalOpsError('target', `invalid url after templating: ${text}`, { cause });
  }
}

function buildRequest(config: HttpConfig, scope: TemplateScope, defaultBody: unknown): { method: string; headers: Headers; body?: string } {
  const headers = new Headers();
  const headerScope: TemplateScope = { ...scope, env: process.env };
  for (const [name, value] of Object.entries(config.headers)) headers.set(name, renderTemplate(value, headerScope));
  if (config.method === 'GET') return { method: config.method, headers };
  const rendered = config.body === undefined ? defaultBody : renderDeep(config.body, scope);
  const isText = typeof rendered === 'string';
  if (!headers.has('content-type')) headers.set('content-type', isText ? 'text/plain; charset=utf-8' : 'application/json');
  return { method: config.method, headers, body: isText ? rendered : JSON.stringify(rendered ?? null) };
}

function statusError(response: Response, body: string): EvalOpsError {
  const status = response.status;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const excerpt = body.trim().slice(0, BODY_EXCERPT);
  return new EvalOpsError('target', `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, {
    retryable: isRetryableStatus(status),
    details: { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  });
}

/** The deadline's own error when it fired; otherwise a refused or dropped connection, worth retrying. */
function networkError(cause: unknown, url: URL, signal: AbortSignal): EvalOpsError {
  if (signal.aborted) return signal.reason as EvalOpsError;
  if (cause instanceof EvalOpsError) return cause;
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  const reason = inner?.code ?? inner?.message ?? (cause as Error).message;
  return new EvalOpsError('target', `request to ${url.origin}${url.pathname} failed: ${reason}`, {
    cause,
    retryable: true,
  });
}
