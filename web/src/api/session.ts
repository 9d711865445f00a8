import { ApiError } from './client';

/** Who is signed in: the key's project (null for an instance-wide key), role and name. */
export interface Session {
  readonly project: string | null;
  readonly role: string;
  readonly actor: string;
}

async function send(method: string, body?: unknown): Promise<Response> {
  return fetch('/api/v1/session', {
    method,
    credentials: 'same-origin',
    headers: { 'x-evalops-csrf': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The current session, or null when not signed in. */
export async function currentSession(): Promise<Session | null> {
  const res = await send('GET');
  if (!res.ok) throw new ApiError(res.status, `HTTP ${res.status}`, 'unknown');
  const body = (await res.json()) as (Session & { signedIn: true }) | { signedIn: false };
  return body.signedIn ? body : null;
}

export async function signIn(key: string): Promise<Session> {
  const res = await send('POST', { key });
  const body = (await res.json()) as Session & { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.message ?? `HTTP ${res.status}`, body.error?.code ?? 'unknown');
  return body;
}

export async function signOut(): Promise<void> {
  await send('DELETE');
}
