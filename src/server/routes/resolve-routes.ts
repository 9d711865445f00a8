import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { describeIssues } from '../../api/parse-operation-input.js';
import { bearerToken } from '../../auth/bearer-token.js';
import { resolveSubject, type ResolutionTable } from '../../core/resolution-table.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { CachedKeyAuth } from '../cached-key-auth.js';
import { ResolutionCache } from '../resolution-cache.js';

/**
 * Resolve: which release a subject gets, and its config — the read an application makes on every
 * request, so it is served from memory (src/server/resolution-cache.ts, keys by
 * src/server/cached-key-auth.ts) with an ETag and 304 on If-None-Match.
 *
 * - `GET /projects/{project}/resolve?subject=ID[&track=default]` → `{ project, track, subject, bucket, release, configHash, config }`
 * - `GET /projects/{project}/resolve/table[?track=default]` → the whole table (src/core/resolution-table.ts):
 *   what the SDK fetches once to answer every subject locally.
 *
 * Needs `releases:resolve` (a `resolve` key, or any key of the project but an ingest key).
 */

const SubjectQuery = z.object({
  subject: z.string().min(1, 'must name the subject (a user or session id)').max(512),
  track: z.string().min(1).max(200).default('default'),
});
const TableQuery = z.object({ track: z.string().min(1).max(200).default('default') });

export interface ResolveRouteOptions {
  /** How old a project's cached state may be before it is checked against the database (default 250 ms). */
  readonly maxAgeMs?: number;
  /** How long a verified key is trusted from memory (default 1 s). */
  readonly keyMaxAgeMs?: number;
}

export function resolveRoutes(deps: ServerDeps, options: ResolveRouteOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const onError = (what: string) => (e: unknown) => deps.log({ level: 'warn', msg: what, error: String(e) });
  const keys = new CachedKeyAuth(deps.store, { ...(options.keyMaxAgeMs === undefined ? {} : { maxAgeMs: options.keyMaxAgeMs }), onBookkeepingError: onError('could not record key use') });
  const cache = new ResolutionCache(deps.store, { ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }), onRefreshError: onError('could not refresh the resolution state; serving the last one') });

  /** The track's table after auth, or the refusal response. */
  async function tableOf(c: Context<AppEnv>, project: string, track: string): Promise<ResolutionTable | Response> {
    const auth = await keys.authenticate(bearerToken(c.req.header('authorization')), project, 'releases:resolve');
    if (!auth.ok) {
      if (auth.status === 401) c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: { code: auth.status === 401 ? 'unauthenticated' : 'forbidden', message: auth.message } }, auth.status);
    }
    c.set('principal', auth.principal);
    const tracks = await cache.tracks(project);
    if (!tracks) return c.json({ error: { code: 'not_found', message: `project "${project}" not found` } }, 404);
    const table = tracks.get(track);
    if (!table) {
      const names = [...tracks.keys()];
      return c.json({ error: { code: 'not_found', message: `unknown track "${track}"; the tracks of "${project}" are: ${names.join(', ')}`, tracks: names } }, 404);
    }
    return table;
  }

  app.get('/projects/:project/resolve', async (c) => {
    const query = SubjectQuery.safeParse({ subject: c.req.query('subject'), track: c.req.query('track') });
    if (!query.success) return c.json({ error: { code: 'usage', message: describeIssues(query.error, 'query') } }, 400);
    const project = c.req.param('project');
    const table = await tableOf(c, project, query.data.track);
    if (table instanceof Response) return table;
    const r = resolveSubject(table, query.data.subject);
    const etag = `"${r.etag}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'private, no-cache');
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    return c.json({ project, track: table.track, subject: query.data.subject, bucket: r.bucket, release: r.release, configHash: r.release?.configHash ?? null, config: r.config });
  });

  app.get('/projects/:project/resolve/table', async (c) => {
    const query = TableQuery.safeParse({ track: c.req.query('track') });
    if (!query.success) return c.json({ error: { code: 'usage', message: describeIssues(query.error, 'query') } }, 400);
    const table = await tableOf(c, c.req.param('project'), query.data.track);
    if (table instanceof Response) return table;
    const etag = `"${table.etag}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'private, no-cache');
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    return c.json(table);
  });

  return app;
}

/** Whether an If-None-Match header names the ETag (a list, weak tags and `*` included). */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
