import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { signIn } from '../api/session';

/** Sign in with an API key; the server keeps it in an http-only cookie, never in the page. */
export function SignInPage() {
  const client = useQueryClient();
  const [key, setKey] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('key') ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(key);
      client.setQueryData(['session'], session);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (window.location.hash) history.replaceState(null, '', window.location.pathname);
      setBusy(false);
    }
  };

  // A sign-in link (`/#key=eo_…`, as `npm start` prints) signs in at once. The key travels in the
  // fragment, which browsers never send to the server, and is wiped from the address bar after use.
  const linked = useRef(key !== '');
  useEffect(() => {
    if (!linked.current) return;
    linked.current = false;
    void submit();
  }, []);

  return (
    <main className="sign-in" id="main">
      <h1>EvalOps</h1>
      <p>AI evaluation as release control. Sign in with an API key (<code>evalops keys create --role viewer</code>).</p>
      <form onSubmit={submit}>
        <label htmlFor="key">API key</label>
        <input id="key" name="key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required aria-describedby={error ? 'sign-in-error' : undefined} />
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="sign-in-error" className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
