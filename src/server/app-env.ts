import type { Principal } from '../auth/auth-result.js';
import type { Store } from '../store/store.js';
import type { ApiBodyLimits } from './api-body-limits.js';
import type { ServerMetrics } from './server-metrics.js';

/** What routes get from the app: the store and metrics (deps), and the authenticated principal. */
export interface ServerDeps {
  readonly store: Store;
  readonly metrics: ServerMetrics;
  readonly log: (entry: Record<string, unknown>) => void;
  /** Bounds on JSON API bodies (default DEFAULT_API_BODY_LIMITS). */
  readonly apiLimits?: ApiBodyLimits;
}

export interface AppEnv {
  Variables: {
    principal: Principal;
  };
}
