import type { Principal } from '../auth/auth-result.js';
import type { WebhookTargetPolicy } from '../monitor/webhook-target-guard.js';
import type { PlaygroundDeps } from '../playground/run-playground.js';
import type { RegisteredScorers } from '../scorers/registered-scorers.js';
import type { Store } from '../store/store.js';
import type { TriageConfig } from '../core/triage/triage-config.js';

/**
 * Who calls an operation and on what. On the server the principal is the API key; in the CLI's local
 * mode there is none (the person at the terminal owns the database file) and `principal` is null.
 */
export interface ApiContext {
  readonly store: Store;
  /**
   * Who acts, for the audit log and ownership checks: on the server the key's name (or the key);
   * in the CLI `--actor`, EVALOPS_ACTOR, git's user.email or the OS user. A function, because only
   * operations that write need it and the CLI may not be able to tell (then it throws a usage error).
   */
  readonly actor: () => string;
  readonly principal: Principal | null;
  /**
   * Which addresses webhooks created, tested or replayed here may reach. Absent: public ones only.
   * The server passes the operator's `--allow-private-webhooks`; the local CLI allows private ones
   * (the person at the terminal can reach them anyway: no privilege is crossed).
   */
  readonly webhookTargets?: WebhookTargetPolicy;
  /**
   * The scorers the operator registered with `evalops serve --scorers DIR`, which online rules may
   * name; undefined in the CLI's local mode, where the workers' registry is not known.
   */
  readonly scorers?: RegisteredScorers;
  /**
   * The operator's providers and metrics for playground runs (its `models` also serve triage); in the
   * CLI's local mode, the providers of the config the command was given, when it was given one.
   */
  readonly playground?: PlaygroundDeps;
  /** The config's `triage:` models (embedding and naming), the defaults of every triage here. */
  readonly triage?: TriageConfig;
}
