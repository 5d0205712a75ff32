// Signed in or not: a token kept from earlier in this tab, or a session cookie, is checked again
// (GET /me) before use. The setup link opens the password form instead.
import { useEffect, useState } from 'preact/hooks';
import { ApiClient } from './apiClient.js';
import type { MeView } from './apiTypes.js';
import { session } from './session.js';
import { SetupPassword } from './SetupPassword.js';
import { Shell } from './Shell.js';
import { SignIn } from './SignIn.js';
import { asApiError } from './useLoad.js';

const SETUP_PATH = '/dashboard/setup';

export function App() {
  const [signedIn, setSignedIn] = useState<{ token: string | null; me: MeView } | null>(null);
  const [setup, setSetup] = useState(() => location.pathname === SETUP_PATH);
  const [checking, setChecking] = useState(!setup);
  const [reason, setReason] = useState<string | null>(null);
  const [email, setEmail] = useState('');

  useEffect(() => {
    if (setup) return;
    const token = session.token();
    new ApiClient(token)
      .get<MeView>('/me')
      .then(
        (me) => setSignedIn({ token, me }),
        (err: unknown) => {
          const error = asApiError(err);
          // Only a refused token is forgotten; a server that is down is no reason to sign out.
          if (error.status === 401) session.clear();
          if (error.status !== 401) setReason(`${error.title}: ${error.details}`);
          else if (token) setReason('Your session ended: sign in again.');
        },
      )
      .finally(() => setChecking(false));
  }, []);

  if (setup) {
    return (
      <SetupPassword
        onDone={(address) => {
          setEmail(address);
          setReason('Your password is set: sign in with it.');
          setSetup(false);
        }}
      />
    );
  }
  if (checking) return <p aria-live="polite">Signing in…</p>;
  if (!signedIn) {
    return (
      <SignIn
        reason={reason}
        email={email}
        onSignedIn={(token, me) => {
          if (token) session.setToken(token);
          setReason(null);
          setSignedIn({ token, me });
        }}
      />
    );
  }
  return (
    <Shell
      key={signedIn.token ?? 'session'}
      token={signedIn.token}
      me={signedIn.me}
      onSignOut={(why) => {
        // A session cookie is ended on the server too; a token is only forgotten here.
        if (!signedIn.token) void new ApiClient(null).post('/auth/logout').catch(() => undefined);
        session.clear();
        setReason(why);
        setSignedIn(null);
      }}
    />
  );
}
