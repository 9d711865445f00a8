import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate } from '../../auth/authenticate.js';
import { authenticateSession } from '../../auth/authenticate-session.js';
import type { Principal } from '../../auth/auth-result.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { actorOf } from '../actor-of.js';
import { endSession, sessionIdOf, startSession } from '../session-cookie.js';

const SignIn = z.strictObject({ key: z.string().trim().min(1, 'paste an API key') });

/**
 * The web UI's session: `POST /api/v1/session` with `{ key }` checks the key (any role that may read:
 * an ingest key cannot sign in), starts a server-side session and sets the http-only cookie to its
 * opaque id; `GET` says who is signed in (`signedIn: false` when nobody is); `DELETE` signs out,
 * ending the session in the database (on every replica), not only in this browser.
 */
export function sessionRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const trustProxy = deps.trustProxy === true;
  app.post('/session', async (c) => {
    const body = SignIn.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: { code: 'input', message: `body field key: ${body.error.issues[0]?.message ?? 'invalid'}` } }, 400);
    const auth = await authenticate(deps.store, body.data.key, { permission: 'runs:read' });
    if (!auth.ok) return c.json({ error: { code: auth.status === 401 ? 'unauthenticated' : 'forbidden', message: auth.message } }, auth.status);
    // Signing in again (perhaps as someone else) ends the session this browser had, rather than orphaning it.
    const previous = sessionIdOf(c);
    if (previous !== undefined) await deps.store.webSessions.end(previous);
    startSession(c, await deps.store.webSessions.start(auth.principal.keyId), trustProxy);
    return c.json(whoAmI(auth.principal));
  });
  // Answers 200 either way, so a signed-out page load logs no failed request in the browser.
  app.get('/session', async (c) => {
    const id = sessionIdOf(c);
    const auth = id === undefined ? undefined : await authenticateSession(deps.store, id, { permission: 'runs:read' });
    if (!auth?.ok) {
      if (auth) endSession(c, trustProxy);
      return c.json({ signedIn: false as const });
    }
    return c.json(whoAmI(auth.principal));
  });
  app.delete('/session', async (c) => {
    const id = sessionIdOf(c);
    if (id !== undefined) await deps.store.webSessions.end(id);
    endSession(c, trustProxy);
    return c.body(null, 204);
  });
  return app;
}

function whoAmI(principal: Principal): { signedIn: true; project: string | null; role: string; actor: string } {
  return { signedIn: true, project: principal.projectName ?? null, role: principal.role, actor: actorOf(principal) };
}
