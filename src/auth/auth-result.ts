import type { Role } from './roles.js';

/**
 * The outcome of authenticating a request, as a value (STYLE.md: outcomes are values). A refusal is
 * not an error of EvalOps: the server turns it into a 401 or 403 response with this message.
 */

/** Who a request acts as: the key, its role and its scope. */
export interface Principal {
  readonly keyId: string;
  /** Shown in logs and audit entries as `eo_<prefix>`. */
  readonly keyPrefix: string;
  readonly role: Role;
  /** The label given when the key was created (often its holder's e-mail), if any. */
  readonly keyName?: string;
  /** The key's project; null for an instance-wide admin key, which may act on any project. */
  readonly projectId: string | null;
  /** The name of the key's project (absent for an instance-wide key). */
  readonly projectName?: string;
}

/** 401: no usable key (missing, malformed, unknown, wrong, revoked). 403: a good key without the right. */
export interface AuthFailure {
  readonly ok: false;
  readonly status: 401 | 403;
  readonly message: string;
}

export interface AuthSuccess {
  readonly ok: true;
  readonly principal: Principal;
}

export type AuthResult = AuthSuccess | AuthFailure;

export function unauthenticated(message: string): AuthFailure {
  return { ok: false, status: 401, message };
}

export function forbidden(message: string): AuthFailure {
  return { ok: false, status: 403, message };
}
