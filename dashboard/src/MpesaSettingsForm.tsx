// The tenant's M-Pesa settings (PATCH .../settings): the shortcode that signs the prompt, the kind
// of till or paybill, where the money goes and the most one payment may ask for. The Daraja keys
// are under Settings → Credentials (write-only).
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { SettingsView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { FormFooter } from './FormFooter.js';
import type { PageProps } from './pageProps.js';
import { asApiError, useLoad } from './useLoad.js';

interface Draft {
  enable_payment_flow: boolean;
  mpesa_shortcode: string;
  mpesa_transaction_type: string;
  mpesa_party_b: string;
  mpesa_max_amount: string;
}

function draftOf(s: SettingsView): Draft {
  return {
    enable_payment_flow: s.enable_payment_flow,
    mpesa_shortcode: s.mpesa_shortcode ?? '',
    mpesa_transaction_type: s.mpesa_transaction_type ?? 'CustomerPayBillOnline',
    mpesa_party_b: s.mpesa_party_b ?? '',
    mpesa_max_amount: s.mpesa_max_amount === null ? '' : String(s.mpesa_max_amount),
  };
}

/** Only what changed; an emptied field goes back to its default (null). */
function changesOf(before: Draft, after: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (before.enable_payment_flow !== after.enable_payment_flow) body['enable_payment_flow'] = after.enable_payment_flow;
  for (const name of ['mpesa_shortcode', 'mpesa_transaction_type', 'mpesa_party_b'] as const) {
    if (before[name] !== after[name]) body[name] = after[name].trim() || null;
  }
  if (before.mpesa_max_amount !== after.mpesa_max_amount)
    body['mpesa_max_amount'] = after.mpesa_max_amount.trim() === '' ? null : Number(after.mpesa_max_amount);
  return body;
}

export function MpesaSettingsForm({ client, tenantId }: PageProps) {
  const loaded = useLoad(() => client.get<SettingsView>(`/tenants/${tenantId}/settings`), [tenantId]);
  if (!loaded.data) return <ErrorNote error={loaded.error} />;
  return <Form key={loaded.data.updated_at} client={client} tenantId={tenantId} settings={loaded.data} />;
}

function Form({ client, tenantId, settings }: PageProps & { settings: SettingsView }) {
  const [before, setBefore] = useState(() => draftOf(settings));
  const [draft, setDraft] = useState(before);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const text = (name: Exclude<keyof Draft, 'enable_payment_flow'>) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [name]: e.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const body = changesOf(before, draft);
    if (Object.keys(body).length === 0) {
      setNotice('Nothing changed.');
      return;
    }
    setSaving(true);
    try {
      const saved = draftOf(await client.patch<SettingsView>(`/tenants/${tenantId}/settings`, body));
      setBefore(saved);
      setDraft(saved);
      setNotice('M-Pesa settings saved.');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="mpesa-title">
      <h2 id="mpesa-title">M-Pesa</h2>
      <p class="muted">The Daraja consumer key, secret and passkey are set under Settings → Credentials.</p>
      <label class="check">
        <input
          type="checkbox"
          checked={draft.enable_payment_flow}
          onChange={(e) => setDraft({ ...draft, enable_payment_flow: e.currentTarget.checked })}
        />
        Collect payments: offer orders for payment and send M-Pesa prompts when customers reply PAY
      </label>
      <label>
        Shortcode (paybill or till that signs the prompt)
        <input inputMode="numeric" value={draft.mpesa_shortcode} onInput={text('mpesa_shortcode')} />
      </label>
      <label>
        Kind
        <select value={draft.mpesa_transaction_type} onChange={text('mpesa_transaction_type')}>
          <option value="CustomerPayBillOnline">Paybill (CustomerPayBillOnline)</option>
          <option value="CustomerBuyGoodsOnline">Till / Buy Goods (CustomerBuyGoodsOnline)</option>
        </select>
      </label>
      <label>
        Receiving till or paybill (empty: the shortcode)
        <input inputMode="numeric" value={draft.mpesa_party_b} onInput={text('mpesa_party_b')} />
      </label>
      <label>
        Most one payment may ask for, KES (empty: 250,000)
        <input type="number" min={1} step={1} value={draft.mpesa_max_amount} onInput={text('mpesa_max_amount')} />
      </label>
      <FormFooter error={error} notice={notice} saving={saving} saveLabel="Save M-Pesa settings" />
    </form>
  );
}
