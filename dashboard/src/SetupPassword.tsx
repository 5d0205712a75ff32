// The one-time setup link (/dashboard/setup#token=…): the invited person chooses a password. The
// token sits after the # so it never reaches a server log or a Referer header.
import { useState } from 'preact/hooks';
import { ApiClient, type ApiError } from './apiClient.js';
import { ErrorNote } from './ErrorNote.js';
import { asApiError } from './useLoad.js';

const MIN_LENGTH = 12;

export function SetupPassword({ onDone }: { onDone: (email: string) => void }) {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = again !== '' && again !== password;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (mismatch || password.length < MIN_LENGTH) return;
    setBusy(true);
    setError(null);
    try {
      const done = await new ApiClient(null).post<{ email: string }>('/auth/setup', { token, password });
      history.replaceState(null, '', '/dashboard/');
      onDone(done.email);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="panel" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Choose your password</h1>
        {!token && (
          <p class="error" role="alert">
            This link has no setup token: ask your owner for a new link.
          </p>
        )}
        <label>
          New password
          <input
            type="password"
            autocomplete="new-password"
            required
            minLength={MIN_LENGTH}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <label>
          Repeat the password
          <input
            type="password"
            autocomplete="new-password"
            required
            value={again}
            onInput={(e) => setAgain(e.currentTarget.value)}
          />
        </label>
        <p class={mismatch ? 'error' : 'muted'}>
          {mismatch ? 'The two passwords differ.' : `At least ${MIN_LENGTH} characters.`}
        </p>
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy || !token}>
          {busy ? 'Saving…' : 'Set password'}
        </button>
      </form>
    </main>
  );
}
