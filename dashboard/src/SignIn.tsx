// Sign in: people with their email and password (a session cookie the page cannot read); the
// administrator, or a machine's API key, with a token kept only in this tab.
import { useState } from 'preact/hooks';
import { ApiClient, type ApiError } from './apiClient.js';
import type { MeView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { asApiError } from './useLoad.js';

export interface SignInProps {
  /** token null: signed in with email and password (the cookie). */
  onSignedIn: (token: string | null, me: MeView) => void;
  reason: string | null;
  email?: string;
}

export function SignIn({ onSignedIn, reason, email: givenEmail = '' }: SignInProps) {
  const [email, setEmail] = useState(givenEmail);
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const withPassword = (event: Event) => {
    event.preventDefault();
    void attempt(async () => {
      const session = new ApiClient(null);
      await session.post('/auth/login', { email: email.trim(), password });
      onSignedIn(null, await session.get<MeView>('/me'));
    });
  };
  const withToken = (event: Event) => {
    event.preventDefault();
    const given = token.trim();
    if (!given) return;
    void attempt(async () => onSignedIn(given, await new ApiClient(given).get<MeView>('/me')));
  };

  return (
    <main class="sign-in">
      <form class="panel" onSubmit={withPassword} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Alphadome dashboard</h1>
        {reason && <p class="muted">{reason}</p>}
        <label>
          Email
          <input
            type="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <form class="panel" onSubmit={withToken} aria-labelledby="token-title">
        <h2 id="token-title">Administrator</h2>
        <label>
          API key or admin token
          <input
            type="password"
            autocomplete="off"
            required
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        <p class="muted">
          The platform administrator signs in with the admin token (an API key also works, for machines). It is kept
          only in this browser tab.
        </p>
        <button type="submit" disabled={busy}>
          Use token
        </button>
      </form>
    </main>
  );
}
