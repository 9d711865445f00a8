import type { Principal } from '../auth/auth-result.js';
import type { WebhookTargetPolicy } from '../monitor/webhook-target-guard.js';
import type { PlaygroundDeps } from '../playground/run-playground.js';
import type { RegisteredScorers } from '../scorers/registered-scorers.js';
import type { Store } from '../store/store.js';
import type { TriageConfig } from '../core/triage/triage-config.js';
import type { ApiBodyLimits } from './api-body-limits.js';
import type { ServerMetrics } from './server-metrics.js';

/** What routes get from the app: the store and metrics (deps), and the authenticated principal. */
export interface ServerDeps {
  readonly store: Store;
  readonly metrics: ServerMetrics;
  readonly log: (entry: Record<string, unknown>) => void;
  /** Which addresses webhooks may reach from this server (default: public ones only). */
  readonly webhookTargets?: WebhookTargetPolicy;
  /** Honour X-Forwarded-Proto (for the cookie's Secure flag) and X-Forwarded-For (logs); default false. */
  readonly trustProxy?: boolean;
  /** The scorers of `--scorers DIR`, which online rules may name. */
  readonly scorers?: RegisteredScorers;
  /** Bounds on JSON API bodies (default DEFAULT_API_BODY_LIMITS). */
  readonly apiLimits?: ApiBodyLimits;
  /** The operator's providers and metrics (`--config`), which the playground runs drafts with. */
  readonly playground?: PlaygroundDeps;
  /** The config's `triage:` models (`--config`): the defaults of every triage on this server. */
  readonly triage?: TriageConfig;
}

export interface AppEnv {
  Variables: {
    principal: Principal;
  };
}
