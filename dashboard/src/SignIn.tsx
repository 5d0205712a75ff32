// Sign in with a tenant API key (that tenant's view) or the administrator token (every tenant).
// The token is checked against GET /api/v1/me before it is kept.
import { useState } from 'preact/hooks';
import { ApiClient, type ApiError } from './apiClient.js';
import type { MeView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { asApiError } from './useLoad.js';

export function SignIn({ onSignedIn, reason }: { onSignedIn: (token: string, me: MeView) => void; reason: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const given = token.trim();
    if (!given) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(given, await new ApiClient(given).get<MeView>('/me'));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="panel" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Alphadome dashboard</h1>
        {reason && <p class="muted">{reason}</p>}
        <label>
          API key or admin token
          <input type="password" autocomplete="current-password" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </label>
        <p class="muted">A business signs in with its API key (adk_…); the platform administrator with the admin token. It is kept only in this browser tab.</p>
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
