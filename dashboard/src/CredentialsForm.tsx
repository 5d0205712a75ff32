// The tenant's secrets, write-only: the page shows whether each is set and its last four
// characters (all the API ever tells), and sends only what is typed or marked for removal.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { MaskedSecret, MeView, TenantCredentialsView } from './apiTypes.js';
import { FormFooter } from './FormFooter.js';
import type { PageProps } from './pageProps.js';
import { asApiError } from './useLoad.js';

const SECRETS = [
  { key: 'whatsapp_access_token', label: 'WhatsApp access token' },
  // It proves a webhook is Meta's: a tenant that could set it could sign messages for itself.
  { key: 'whatsapp_app_secret', label: 'WhatsApp app secret', adminOnly: true },
  { key: 'ai_api_key', label: 'AI provider API key' },
  { key: 'fallback_keys.openai', label: 'Fallback key: OpenAI' },
  { key: 'fallback_keys.openrouter', label: 'Fallback key: OpenRouter' },
  { key: 'fallback_keys.huggingface', label: 'Fallback key: HuggingFace' },
  { key: 'mpesa_consumer_key', label: 'M-Pesa (Daraja) consumer key' },
  { key: 'mpesa_consumer_secret', label: 'M-Pesa (Daraja) consumer secret' },
  { key: 'mpesa_passkey', label: 'M-Pesa Lipa na M-Pesa Online passkey' },
] as const;
type SecretKey = (typeof SECRETS)[number]['key'];
const ADMIN_ONLY_NOTE = 'Set by the platform administrator: a tenant key may not change it.';

function maskedOf(view: TenantCredentialsView, key: SecretKey): MaskedSecret {
  if (key.startsWith('fallback_keys.'))
    return view.fallback_keys[key.slice('fallback_keys.'.length) as keyof TenantCredentialsView['fallback_keys']];
  return view[key as Exclude<keyof TenantCredentialsView, 'fallback_keys'>];
}

/** The PUT body: a typed value sets a secret, "remove" clears it (null), anything else stays. */
function changesOf(values: Record<string, string>, removals: Record<string, boolean>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const fallback: Record<string, unknown> = {};
  for (const { key } of SECRETS) {
    const value = removals[key] ? null : values[key]?.trim() || undefined;
    if (value === undefined) continue;
    if (key.startsWith('fallback_keys.')) fallback[key.slice('fallback_keys.'.length)] = value;
    else body[key] = value;
  }
  if (Object.keys(fallback).length) body['fallback_keys'] = fallback;
  return body;
}

export function CredentialsForm({
  client,
  tenantId,
  me,
  credentials,
}: PageProps & { me: MeView; credentials: TenantCredentialsView }) {
  const [view, setView] = useState(credentials);
  const [values, setValues] = useState<Record<string, string>>({});
  const [removals, setRemovals] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const body = changesOf(values, removals);
    if (Object.keys(body).length === 0) {
      setNotice('Type a new value or mark a secret for removal first.');
      return;
    }
    setSaving(true);
    try {
      setView(await client.put<TenantCredentialsView>(`/tenants/${tenantId}/credentials`, body));
      // The typed secrets leave the page as soon as the server has them.
      setValues({});
      setRemovals({});
      setNotice('Credentials saved.');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="credentials-title" autocomplete="off">
      <h2 id="credentials-title">Credentials</h2>
      <p class="muted">
        Secrets are never shown again once saved: only whether each is set and its last four characters.
      </p>
      {SECRETS.map((secret) => {
        const { key, label } = secret;
        const masked = maskedOf(view, key);
        const id = `secret-${key.replace('.', '-')}`;
        const locked = me.role === 'tenant' && 'adminOnly' in secret;
        return (
          <div class="secret" key={key}>
            <label for={id}>{label}</label>
            <p class="secret-state" id={`${id}-state`}>
              {masked.set ? `Set, ends in …${masked.last4 ?? ''}` : 'Not set'}
              {locked && ` · ${ADMIN_ONLY_NOTE}`}
            </p>
            <input
              id={id}
              type="password"
              autocomplete="new-password"
              placeholder={masked.set ? 'New value (leave empty to keep)' : 'Value'}
              aria-describedby={`${id}-state`}
              value={values[key] ?? ''}
              disabled={locked || removals[key]}
              onInput={(e) => setValues({ ...values, [key]: e.currentTarget.value })}
            />
            {masked.set && !locked && (
              <label class="check">
                <input
                  type="checkbox"
                  checked={removals[key] ?? false}
                  onChange={(e) => setRemovals({ ...removals, [key]: e.currentTarget.checked })}
                />
                Remove
              </label>
            )}
          </div>
        );
      })}
      <FormFooter error={error} notice={notice} saving={saving} saveLabel="Save credentials" />
    </form>
  );
}
