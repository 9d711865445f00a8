import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate } from '../../auth/authenticate.js';
import type { Principal } from '../../auth/auth-result.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { actorOf } from '../actor-of.js';
import { endSession, sessionKeyOf, startSession } from '../session-cookie.js';

const SignIn = z.strictObject({ key: z.string().trim().min(1, 'paste an API key') });

/**
 * The web UI's session: `POST /api/v1/session` with `{ key }` checks the key (any role that may read:
 * an ingest key cannot sign in) and sets the http-only cookie; `GET` says who is signed in (`signedIn: false` when nobody is);
 * `DELETE` signs out.
 */
export function sessionRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/session', async (c) => {
    const body = SignIn.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: { code: 'input', message: `body field key: ${body.error.issues[0]?.message ?? 'invalid'}` } }, 400);
    const auth = await authenticate(deps.store, body.data.key, { permission: 'runs:read' });
    if (!auth.ok) return c.json({ error: { code: auth.status === 401 ? 'unauthenticated' : 'forbidden', message: auth.message } }, auth.status);
    startSession(c, body.data.key);
    return c.json(whoAmI(auth.principal));
  });
  // Answers 200 either way, so a signed-out page load logs no failed request in the browser.
  app.get('/session', async (c) => {
    const key = sessionKeyOf(c);
    const auth = key === undefined ? undefined : await authenticate(deps.store, key, { permission: 'runs:read' });
    if (!auth?.ok) {
      if (auth) endSession(c);
      return c.json({ signedIn: false as const });
    }
    return c.json(whoAmI(auth.principal));
  });
  app.delete('/session', (c) => {
    endSession(c);
    return c.body(null, 204);
  });
  return app;
}

function whoAmI(principal: Principal): { signedIn: true; project: string | null; role: string; actor: string } {
  return { signedIn: true, project: principal.projectName ?? null, role: principal.role, actor: actorOf(principal) };
}
