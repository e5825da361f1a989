import { useEffect, useState } from 'preact/hooks';
import { ApiError, send } from '../api/client.js';
import { type Role, session } from '../api/session.js';
import type { Me } from '../api/types.js';
import { navigate } from '../router.js';
import { described, ErrorNotice, Field } from '../ui/parts.js';

async function signIn(key: string, expiresAt: string | null) {
  const me = await send<Me>('GET', '/v1/me', { headers: { authorization: `Bearer ${key}` } });
  if (!me.role) throw new ApiError(403, 'not_a_tenant_key', 'This is not a tenant API key.');
  session.set({ key, role: me.role as Role, tenantId: me.tenant.id, tenantName: me.tenant.name, expiresAt });
}

/**
 * Sign-in with an API key, or with a one-time link (`/console/sign-in#pls_…`, printed by `npm run demo -- --serve`):
 * the token is in the URL fragment (never sent to a server), exchanged once for an expiring key, and removed from the
 * address bar before anything else happens.
 */
export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const token = location.hash.startsWith('#pls_') ? location.hash.slice(1) : '';

  useEffect(() => {
    if (!token) return;
    history.replaceState(null, '', '/console/sign-in');
    setBusy(true);
    send<{ api_key: string; expires_at: string }>('POST', '/v1/console/sessions', { json: { token } })
      .then((s) => signIn(s.api_key, s.expires_at))
      .then(
        () => navigate('/', true),
        (e: ApiError) => {
          setError(e);
          setBusy(false);
        },
      );
  }, [token]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key.trim(), null);
      // Signed in from a deep link: stay on that page (the app re-renders it); from the sign-in page: the overview.
      if (location.pathname.startsWith('/console/sign-in')) navigate('/', true);
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = error && !error.retryable ? error.message : undefined;
  return (
    <main id="main" class="sign-in">
      <h1 id="page-title" tabIndex={-1}>
        Sign in to Plinth
      </h1>
      {token && busy && <output>Signing in with your link…</output>}
      <form onSubmit={submit} noValidate>
        <Field
          id="api-key"
          label="API key"
          error={fieldError}
          hint="Kept in this tab only; closing it signs you out."
        >
          <input
            {...described('api-key', fieldError, 'x')}
            type="password"
            autoComplete="off"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            required
          />
        </Field>
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          Sign in
        </button>
      </form>
      {error?.retryable && <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />}
    </main>
  );
}
