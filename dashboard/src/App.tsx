// Signed in or not: a token kept from earlier in this tab is checked again (GET /me) before use.
import { useEffect, useState } from 'preact/hooks';
import { ApiClient } from './apiClient.js';
import type { MeView } from './apiTypes.js';
import { session } from './session.js';
import { Shell } from './Shell.js';
import { SignIn } from './SignIn.js';
import { asApiError } from './useLoad.js';

export function App() {
  const [signedIn, setSignedIn] = useState<{ token: string; me: MeView } | null>(null);
  const [checking, setChecking] = useState(() => session.token() !== null);
  const [reason, setReason] = useState<string | null>(null);

  useEffect(() => {
    const token = session.token();
    if (!token) return;
    new ApiClient(token)
      .get<MeView>('/me')
      .then(
        (me) => setSignedIn({ token, me }),
        (err: unknown) => {
          const error = asApiError(err);
          // Only a refused token is forgotten; a server that is down is no reason to sign out.
          if (error.status === 401) session.clear();
          setReason(error.status === 401 ? 'Your session ended: sign in again.' : `${error.title}: ${error.details}`);
        },
      )
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <p aria-live="polite">Signing in…</p>;
  if (!signedIn) {
    return (
      <SignIn
        reason={reason}
        onSignedIn={(token, me) => {
          session.setToken(token);
          setReason(null);
          setSignedIn({ token, me });
        }}
      />
    );
  }
  return (
    <Shell
      key={signedIn.token}
      token={signedIn.token}
      me={signedIn.me}
      onSignOut={(why) => {
        session.clear();
        setReason(why);
        setSignedIn(null);
      }}
    />
  );
}
