// Settings: the bot's settings form and the write-only credentials form, each saved on its own.
import type { MeView, SettingsView, TenantCredentialsView } from './apiTypes.js';
import { CredentialsForm } from './CredentialsForm.js';
import { ErrorNote } from './ErrorNote.js';
import type { PageProps } from './pageProps.js';
import { SettingsForm } from './SettingsForm.js';
import { useLoad } from './useLoad.js';

export function SettingsPage({ client, tenantId, me }: PageProps & { me: MeView }) {
  const settings = useLoad(() => client.get<SettingsView>(`/tenants/${tenantId}/settings`), [tenantId]);
  const credentials = useLoad(() => client.get<TenantCredentialsView>(`/tenants/${tenantId}/credentials`), [tenantId]);
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <ErrorNote error={settings.error} />
      {settings.data ? (
        <SettingsForm client={client} tenantId={tenantId} me={me} settings={settings.data} />
      ) : (
        settings.loading && <p aria-live="polite">Loading settings…</p>
      )}
      <ErrorNote error={credentials.error} />
      {credentials.data ? (
        <CredentialsForm client={client} tenantId={tenantId} me={me} credentials={credentials.data} />
      ) : (
        credentials.loading && <p aria-live="polite">Loading credentials…</p>
      )}
    </section>
  );
}
