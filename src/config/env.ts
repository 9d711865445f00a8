import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';

/**
 * The environment EvalOps reads, validated once at the edge (CLI, server) and passed inward as a
 * value. Provider API keys are not here: each provider names its own variable (`apiKeyEnv`).
 */

/** Where the store lives: a SQLite file (`sqlite:PATH`, `:memory:` allowed) or a PostgreSQL URL. */
export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly url: string };

export interface EvalOpsEnv {
  /** From EVALOPS_DATABASE_URL; undefined means the embedded default under `.evalops/`. */
  readonly database: DatabaseLocation | undefined;
  /** From EVALOPS_SERVER_URL: the CLI talks to this server instead of a database. */
  readonly serverUrl: string | undefined;
  /** From EVALOPS_API_KEY: the key the CLI sends to the server. */
  readonly apiKey: string | undefined;
}

const DATABASE_VAR = 'EVALOPS_DATABASE_URL';

const DatabaseUrlSchema = z.string().transform((url, ctx): DatabaseLocation => {
  if (/^postgres(ql)?:\/\/.+/.test(url)) return { dialect: 'postgres', url };
  if (url.startsWith('sqlite:') && url.length > 'sqlite:'.length) return { dialect: 'sqlite', path: url.slice('sqlite:'.length) };
  ctx.addIssue({ code: 'custom', message: 'expected "sqlite:PATH", "postgres://…" or "postgresql://…"' });
  return z.NEVER;
});

const unsetWhenEmpty = (v: unknown): unknown => (v === '' ? undefined : v);

const EnvSchema = z.object({
  // An empty variable counts as unset, as shells and .env files often leave it.
  [DATABASE_VAR]: z.preprocess(unsetWhenEmpty, DatabaseUrlSchema.optional()),
  EVALOPS_SERVER_URL: z.preprocess(unsetWhenEmpty, z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional()),
  EVALOPS_API_KEY: z.preprocess(unsetWhenEmpty, z.string().trim().min(1).optional()),
});

/**
 * @example loadEnv({ EVALOPS_DATABASE_URL: 'sqlite:./db.sqlite' }).database // { dialect: 'sqlite', path: './db.sqlite' }
 */
export function loadEnv(env: Readonly<Record<string, string | undefined>> = process.env): EvalOpsEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new EvalOpsError('config', `${name}: ${issue?.message ?? 'invalid value'}`, { details: { issues: parsed.error.issues } });
  }
  return { database: parsed.data[DATABASE_VAR], serverUrl: parsed.data.EVALOPS_SERVER_URL, apiKey: parsed.data.EVALOPS_API_KEY };
}
