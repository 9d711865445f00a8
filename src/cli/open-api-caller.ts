import type { ApiCaller } from '../api/api-caller.js';
import type { ApiContext } from '../api/api-context.js';
import { HttpApiCaller } from '../client/http-api-caller.js';
import { LocalApiCaller } from '../client/local-api-caller.js';
import { loadEnv } from '../config/env.js';
import { EvalOpsError } from '../core/errors.js';
import { openCliStore } from './open-cli-store.js';
import { resolveActor } from './resolve-actor.js';
import { resolveProjectName } from './resolve-project.js';

/** The flags every command that can work remotely takes. */
export interface RemoteFlags {
  readonly server?: string;
  readonly actor?: string;
}

/**
 * Where a command's operations go: the server named by `--server` or EVALOPS_SERVER_URL (with the key
 * in EVALOPS_API_KEY), else the local database (EVALOPS_DATABASE_URL or `.evalops/evalops.db`), with
 * what `local` gives the operations there (the config's models, for commands that call them).
 */
export async function openApiCaller(flags: RemoteFlags, env: NodeJS.ProcessEnv = process.env, local?: () => Promise<Pick<ApiContext, 'playground' | 'triage'>>): Promise<ApiCaller> {
  const parsed = loadEnv(env);
  const server = flags.server ?? parsed.serverUrl;
  if (server !== undefined) {
    if (!/^https?:\/\/[^/]/.test(server)) throw new EvalOpsError('usage', `--server must be an http:// or https:// URL (got "${server}")`);
    if (!parsed.apiKey) throw new EvalOpsError('usage', `talking to ${server} needs an API key in EVALOPS_API_KEY (create one with \`evalops keys create\`)`);
    return new HttpApiCaller({ url: server, apiKey: parsed.apiKey });
  }
  // The config's models are read before the store opens: a bad config leaves nothing open.
  const models = local ? await local() : {};
  const store = await openCliStore(env);
  return new LocalApiCaller(store, () => resolveActor(flags.actor), undefined, models);
}

/**
 * The project a command works on: `--project`, the config's (-c, or found in the working
 * directory), else, on a server, the API key's project.
 */
export async function projectFor(caller: ApiCaller, flags: { project?: string; config?: string }): Promise<string> {
  try {
    return await resolveProjectName(flags);
  } catch (e) {
    const bound = await caller.boundProject();
    if (bound !== undefined) return bound;
    throw e;
  }
}
