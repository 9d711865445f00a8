import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';

export interface ResolveActorOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

const ActorSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(320, 'must be at most 320 characters')
  .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters');

/**
 * Who the audit log names for a CLI action: `--actor`, else EVALOPS_ACTOR, else `git config
 * user.email` in the working directory, else the OS user name.
 * @example resolveActor(undefined, { env: { EVALOPS_ACTOR: 'ci@example.com' } }) // 'ci@example.com'
 */
export function resolveActor(flag: string | undefined, options: ResolveActorOptions = {}): string {
  const env = options.env ?? process.env;
  if (flag !== undefined) return parseActor(flag, '--actor');
  const fromEnv = env['EVALOPS_ACTOR'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseActor(fromEnv, 'EVALOPS_ACTOR');
  const email = gitUserEmail(env, options.cwd ?? process.cwd());
  if (email) return email;
  const user = osUserName();
  if (user) return user;
  throw new EvalOpsError('usage', 'cannot tell who is acting: pass --actor or set EVALOPS_ACTOR');
}

function parseActor(value: string, source: string): string {
  const parsed = ActorSchema.safeParse(value);
  if (!parsed.success) throw new EvalOpsError('usage', `${source} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

function gitUserEmail(env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  try {
    const out = execFileSync('git', ['config', 'user.email'], { cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 });
    const parsed = ActorSchema.safeParse(out);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // git missing, not configured, or not a repository
  }
}

function osUserName(): string | undefined {
  try {
    const name = userInfo().username;
    return ActorSchema.safeParse(name).success ? name.trim() : undefined;
  } catch {
    return undefined; // no passwd entry for this uid (some containers)
  }
}
