import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { describeIssues } from '../api/parse-operation-input.js';
import { bearerToken } from '../auth/bearer-token.js';
import type { AuthResult } from '../auth/auth-result.js';
import { resolveSubject, type ResolutionTable } from '../core/resolution-table.js';
import { subjectBucket } from '../core/subject-bucket.js';
import type { ServerDeps } from './app-env.js';
import { CachedKeyAuth } from './cached-key-auth.js';
import { ResolutionCache } from './resolution-cache.js';

/**
 * Resolve: which release a subject gets, and its config — the read an application makes on every
 * request. It is answered on Node's http request before the Hono app (no Request/Response objects,
 * no per-request log line: successes are counted in /metrics, refusals are logged) from memory:
 * the project's state (src/server/resolution-cache.ts) and verified keys
 * (src/server/cached-key-auth.ts). ETag, and 304 on If-None-Match.
 *
 * - `GET /api/v1/projects/{project}/resolve?subject=ID[&track=default]` →
 *   `{ project, track, subject, bucket, release, configHash, config }` (`release` null: no release serves the subject)
 * - `GET /api/v1/projects/{project}/resolve/table[?track=default]` → the whole table
 *   (src/core/resolution-table.ts), what the SDK fetches to answer every subject locally.
 *
 * Needs `releases:resolve`: a `resolve` key, or any key of the project but an ingest key.
 */

const PATH = /^\/api\/v1\/projects\/([^/?#]+)\/resolve(\/table)?\/?(?:\?|$)/;
const SubjectQuery = z.object({
  subject: z.string().min(1, 'must name the subject (a user or session id)').max(512),
  track: z.string().min(1).max(200).default('default'),
});
const TableQuery = z.object({ track: z.string().min(1).max(200).default('default') });

type Query = { readonly subject?: string; readonly track: string };

export interface ResolveOptions {
  /** How old a project's cached state may be before it is checked against the database (default 250 ms). */
  readonly maxAgeMs?: number;
  /** How long a verified key is trusted from memory (default 1 s). */
  readonly keyMaxAgeMs?: number;
}

/** Answers one request, or returns false when it is not a resolve request (the app answers it). */
export type ResolveHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The headers of every answer, as the flat name/value list `writeHead` takes without copying an object. */
const HEADERS = ['content-type', 'application/json', 'cache-control', 'private, no-cache', 'x-content-type-options', 'nosniff', 'referrer-policy', 'no-referrer'] as const;

export function createResolveHandler(deps: Pick<ServerDeps, 'store' | 'metrics' | 'log'>, options: ResolveOptions = {}): ResolveHandler {
  const onError = (what: string) => (e: unknown) => deps.log({ level: 'warn', msg: what, error: String(e) });
  const keys = new CachedKeyAuth(deps.store, { ...(options.keyMaxAgeMs === undefined ? {} : { maxAgeMs: options.keyMaxAgeMs }), onBookkeepingError: onError('could not record key use') });
  const cache = new ResolutionCache(deps.store, { ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }), onRefreshError: onError('could not refresh the resolution state; serving the last one') });

  type Answer = { status: number; body?: string; etag?: string; headers?: Record<string, string> };
  const json = (status: number, value: unknown, headers?: Record<string, string>): Answer => ({ status, body: JSON.stringify(value), ...(headers ? { headers } : {}) });
  /** The serialized end of a subject's answer, per table row: most of the body, built once. */
  const tails = new WeakMap<object, string>();
  /** The serialized start of a subject's answer (project and track), per table. */
  const heads = new WeakMap<object, string>();
  const noRelease = `"release":null,"configHash":null,"config":null}`;

  /** The answer once the key and the project's state are known (from memory or the store). */
  function respond(req: IncomingMessage, project: string, query: Query, auth: AuthResult, tracks: ReadonlyMap<string, ResolutionTable> | undefined): Answer {
    if (!auth.ok) return json(auth.status, { error: { code: auth.status === 401 ? 'unauthenticated' : 'forbidden', message: auth.message } }, auth.status === 401 ? { 'www-authenticate': 'Bearer' } : undefined);
    if (!tracks) return json(404, { error: { code: 'not_found', message: `project "${project}" not found` } });
    const table = tracks.get(query.track);
    if (!table) {
      const names = [...tracks.keys()];
      return json(404, { error: { code: 'not_found', message: `unknown track "${query.track}"; the tracks of "${project}" are: ${names.join(', ')}`, tracks: names } });
    }
    if (query.subject === undefined) return notModified(req, table.etag) ? { status: 304, etag: table.etag } : { status: 200, etag: table.etag, body: JSON.stringify(table) };
    const bucket = subjectBucket(table.project, table.track, query.subject);
    const row = table.releases.find((r) => bucket >= r.from && bucket < r.to);
    const etag = row ? row.etag : resolveSubject(table, query.subject).etag;
    if (notModified(req, etag)) return { status: 304, etag };
    let tail = row ? tails.get(row) : noRelease;
    if (tail === undefined && row) {
      const { from: _from, to: _to, etag: _etag, ...release } = row;
      tail = `"release":${JSON.stringify(release)},"configHash":${JSON.stringify(release.configHash)},"config":${JSON.stringify(release.configHash === null ? null : (table.configs[release.configHash] ?? null))}}`;
      tails.set(row, tail);
    }
    let head = heads.get(table);
    if (head === undefined) {
      head = `{"project":${JSON.stringify(project)},"track":${JSON.stringify(table.track)},"subject":`;
      heads.set(table, head);
    }
    return { status: 200, etag, body: `${head}${JSON.stringify(query.subject)},"bucket":${bucket},${tail}` };
  }

  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith('/api/v1/projects/')) return false;
    const m = PATH.exec(url);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const started = performance.now();
    const route = m[2] ? '/api/v1/projects/:project/resolve/table' : '/api/v1/projects/:project/resolve';
    let project: string;
    try {
      project = decodeURIComponent(m[1] as string);
    } catch {
      project = '';
    }
    const queryAt = url.indexOf('?');
    const send = (a: Answer) => {
      const headers: (string | number)[] = [...HEADERS];
      if (a.etag !== undefined) headers.push('etag', `"${a.etag}"`);
      if (a.headers) for (const [name, value] of Object.entries(a.headers)) headers.push(name, value);
      if (a.body !== undefined) headers.push('content-length', Buffer.byteLength(a.body));
      res.writeHead(a.status, headers as string[]);
      res.end(req.method === 'HEAD' ? undefined : a.body);
      deps.metrics.observeRequest(route, req.method ?? 'GET', a.status, (performance.now() - started) / 1000);
      if (a.status >= 400) deps.log({ level: a.status >= 500 ? 'error' : 'warn', msg: 'request', method: req.method, route, status: a.status, ms: Math.round((performance.now() - started) * 10) / 10 });
    };
    if (project === '') {
      send(json(400, { error: { code: 'usage', message: 'path field project: not a valid project name' } }));
      return true;
    }
    const { subject, track = 'default' } = queryParameters(queryAt < 0 ? '' : url.slice(queryAt + 1));
    // The common case checked by hand (it is most of a resolve's own cost); anything else goes through the schema for its message.
    let query: Query;
    if (track.length >= 1 && track.length <= 200 && (m[2] ? true : subject !== undefined && subject.length >= 1 && subject.length <= 512)) {
      query = m[2] ? { track } : { subject: subject as string, track };
    } else {
      const parsed = m[2] ? TableQuery.safeParse({ track }) : SubjectQuery.safeParse({ subject, track });
      if (!parsed.success) {
        send(json(400, { error: { code: 'usage', message: describeIssues(parsed.error, 'query') } }));
        return true;
      }
      query = parsed.data;
    }
    const token = bearerToken(req.headers.authorization);
    // From memory when the key and the project's state are fresh: no promise, no database.
    const known = keys.peek(token, project, 'releases:resolve');
    const tracks = known?.ok ? cache.peek(project) : undefined;
    if (known && (!known.ok || tracks)) {
      send(respond(req, project, query, known, tracks));
      return true;
    }
    void (async () => {
      const auth = await keys.authenticate(token, project, 'releases:resolve');
      return respond(req, project, query, auth, auth.ok ? await cache.tracks(project) : undefined);
    })().then(send, (e: unknown) => {
      deps.log({ level: 'error', msg: 'unhandled error', route, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      send(json(500, { error: { code: 'internal', message: 'internal error' } }));
    });
    return true;
  };
}

/**
 * The `subject` and `track` parameters of a query string, as URLSearchParams reads them (the first of
 * each; `+` is a space; percent-decoding); a query with no `%` or `+` is split by hand, which is most
 * of what a resolve costs beyond Node itself.
 */
export function queryParameters(query: string): { subject?: string; track?: string } {
  if (query.includes('%') || query.includes('+')) {
    const search = new URLSearchParams(query);
    const subject = search.get('subject');
    const track = search.get('track');
    return { ...(subject === null ? {} : { subject }), ...(track === null ? {} : { track }) };
  }
  let subject: string | undefined;
  let track: string | undefined;
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    const eq = query.indexOf('=', start);
    const nameEnd = eq >= 0 && eq < end ? eq : end;
    const name = query.slice(start, nameEnd);
    if (name === 'subject' && subject === undefined) subject = nameEnd < end ? query.slice(nameEnd + 1, end) : '';
    else if (name === 'track' && track === undefined) track = nameEnd < end ? query.slice(nameEnd + 1, end) : '';
    start = end + 1;
  }
  return { ...(subject === undefined ? {} : { subject }), ...(track === undefined ? {} : { track }) };
}

/** Whether the request's If-None-Match names the ETag (a list, weak tags and `*` included). */
function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${etag}"`);
}
