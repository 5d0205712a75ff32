// The tenant's people, for its owners (and the administrator): invite someone (the one-time setup
// link is shown once, to pass on), list them, disable or re-enable, remove, or make a new link.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { InvitedUser, MeView, TeamUserView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import type { PageProps } from './pageProps.js';
import { asApiError, useLoad } from './useLoad.js';

export function TeamPage({ client, tenantId, me }: PageProps & { me: MeView }) {
  const users = useLoad(() => client.get<{ data: TeamUserView[] }>(`/tenants/${tenantId}/users`), [tenantId]);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<'agent' | 'owner'>('agent');
  const [link, setLink] = useState<{ who: string; url: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const myId = me.role === 'tenant' ? me.user?.id : undefined;

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      users.reload();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  // Without PUBLIC_BASE_URL the server cannot know its address; this page can.
  const showLink = (user: InvitedUser) =>
    setLink({ who: user.name, url: user.setup_url ?? `${location.origin}/dashboard/setup#token=${user.setup_token}` });

  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">Team</h1>
      <form
        class="panel"
        aria-label="Invite a person"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            showLink(
              await client.post<InvitedUser>(`/tenants/${tenantId}/users`, {
                email: email.trim(),
                name: name.trim(),
                role,
              }),
            );
            setEmail('');
            setName('');
          });
        }}
      >
        <h2>Invite a person</h2>
        <label>
          Name
          <input required maxLength={255} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Email
          <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value === 'owner' ? 'owner' : 'agent')}>
            <option value="agent">Agent: answers customers</option>
            <option value="owner">Owner: also manages the team, keys and settings</option>
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Invite
        </button>
      </form>
      {link && (
        <div class="panel" role="status">
          <p>
            Send this one-time link to {link.who}: it sets their password and works for 72 hours. It is shown only now.
          </p>
          <input readOnly aria-label="Setup link" value={link.url} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
      <ErrorNote error={users.error ?? error} />
      <table>
        <caption class="muted">The tenant's people</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(users.data?.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td>{u.state}</td>
              <td>{u.last_login_at ? format.dateTime(u.last_login_at) : '—'}</td>
              <td class="row-actions">
                {u.id !== myId && (
                  <>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        act(
                          async () =>
                            void (await client.patch(`/tenants/${tenantId}/users/${u.id}`, {
                              disabled: u.state !== 'disabled',
                            })),
                        )
                      }
                    >
                      {u.state === 'disabled' ? 'Enable' : 'Disable'}
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        act(async () =>
                          showLink(await client.post<InvitedUser>(`/tenants/${tenantId}/users/${u.id}/setup-link`)),
                        )
                      }
                    >
                      New setup link
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      onClick={() => act(() => client.delete(`/tenants/${tenantId}/users/${u.id}`))}
                    >
                      Remove {u.name}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
