// The bot's switches, limits, escalation contacts and texts (GET/PATCH .../settings). Only what
// changed is sent; a cleared text goes back to the server's default.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { MeView, SettingsView } from './apiTypes.js';
import { FormFooter } from './FormFooter.js';
import type { PageProps } from './pageProps.js';
import { asApiError } from './useLoad.js';

const SWITCHES = [
  ['is_bot_enabled', 'The bot answers customers'],
  ['enable_auto_reply', 'Automatic replies'],
  ['enable_ai_responses', 'AI answers when no FAQ matches'],
  ['enable_training_mode', 'Training mode: ask "Did this help?" after answers'],
  ['enable_payment_flow', 'Payment collection by M-Pesa (set it up on the Payments page)'],
  ['log_conversations', 'Keep message texts in the log'],
  ['log_errors', 'Keep error texts in the log'],
  ['read_receipts', "Mark customers' messages read (blue ticks) when the bot starts on them"],
  ['typing_indicator', 'Show "typing…" while an AI answer is prepared'],
] as const;
type SwitchName = (typeof SWITCHES)[number][0];

// Texts and numbers kept in the settings' metadata; empty means "use the default".
const META = [
  ['faq_threshold', 'FAQ match threshold (0–1, empty for the default)', 'number'],
  ['fallback_message', 'Apology when nothing can answer (empty for the default)', 'text'],
  ['handoff_message', 'Message when a person takes over (empty for the default)', 'text'],
  ['handoff_hours', 'Hours the bot stays quiet after a handoff (empty for 24)', 'number'],
] as const;

type Draft = Record<SwitchName, boolean> & Record<string, string | boolean>;

function draftOf(s: SettingsView): Draft {
  const draft: Record<string, string | boolean> = {
    max_messages_per_hour: String(s.max_messages_per_hour),
    max_messages_per_user_per_day: String(s.max_messages_per_user_per_day),
    escalation_phone: s.escalation_phone ? `+${s.escalation_phone}` : '',
    escalation_email: s.escalation_email ?? '',
  };
  for (const [name] of SWITCHES) draft[name] = s[name];
  for (const [key] of META)
    draft[key] = s.metadata[key] === undefined || s.metadata[key] === null ? '' : String(s.metadata[key]);
  return draft as Draft;
}

/** The body of the PATCH: every field whose value differs from what was loaded. */
function changesOf(before: Draft, after: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name] of SWITCHES) if (before[name] !== after[name]) body[name] = after[name];
  for (const name of ['max_messages_per_hour', 'max_messages_per_user_per_day']) {
    // An emptied field goes as it is, so the API names the problem instead of it silently meaning 0.
    if (before[name] !== after[name]) body[name] = after[name] === '' ? '' : Number(after[name]);
  }
  for (const name of ['escalation_phone', 'escalation_email']) {
    if (before[name] !== after[name]) body[name] = String(after[name]).trim() || null;
  }
  const metadata: Record<string, unknown> = {};
  for (const [key, , kind] of META) {
    if (before[key] === after[key]) continue;
    const text = String(after[key]).trim();
    metadata[key] = text === '' ? null : kind === 'number' ? Number(text) : text;
  }
  if (Object.keys(metadata).length) body['metadata'] = metadata;
  return body;
}

export function SettingsForm({ client, tenantId, me, settings }: PageProps & { me: MeView; settings: SettingsView }) {
  // A tenant key may set its limits up to the platform's maxima; the administrator, anything.
  // Said in words rather than with max=: a value the administrator set above the cap must not stop the form saving other changes.
  const caps = me.role === 'tenant' ? me.platform_limits : null;
  const [loaded, setLoaded] = useState(() => draftOf(settings));
  const [draft, setDraft] = useState(loaded);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (name: string, value: string | boolean) => setDraft({ ...draft, [name]: value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const body = changesOf(loaded, draft);
    if (Object.keys(body).length === 0) {
      setNotice('Nothing changed.');
      return;
    }
    setSaving(true);
    try {
      const next = draftOf(await client.patch<SettingsView>(`/tenants/${tenantId}/settings`, body));
      setLoaded(next);
      setDraft(next);
      setNotice('Settings saved.');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="settings-form-title">
      <h2 id="settings-form-title">Bot settings</h2>
      <fieldset>
        <legend>Switches</legend>
        {SWITCHES.map(([name, label]) => (
          <label class="check" key={name}>
            <input type="checkbox" checked={draft[name]} onChange={(e) => set(name, e.currentTarget.checked)} />
            {label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        {/* As the server counts: a limit of 0 lets no message through (src/domain/rateLimit.ts). */}
        <legend>Limits (0 blocks every message)</legend>
        <div class="row">
          <label>
            Messages per hour (whole bot)
            <input
              type="number"
              min={0}
              step={1}
              aria-describedby={caps ? 'limits-cap' : undefined}
              value={String(draft['max_messages_per_hour'])}
              onInput={(e) => set('max_messages_per_hour', e.currentTarget.value)}
            />
          </label>
          <label>
            Messages per customer per day
            <input
              type="number"
              min={0}
              step={1}
              aria-describedby={caps ? 'limits-cap' : undefined}
              value={String(draft['max_messages_per_user_per_day'])}
              onInput={(e) => set('max_messages_per_user_per_day', e.currentTarget.value)}
            />
          </label>
        </div>
        {caps && (
          <p class="muted" id="limits-cap">
            At most {caps.max_messages_per_hour} an hour and {caps.max_messages_per_user_per_day} per customer a day:
            the platform's maxima. Ask the administrator for more.
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Who is told when a customer needs a person</legend>
        <div class="row">
          <label>
            WhatsApp number
            <input
              type="tel"
              inputMode="tel"
              placeholder="+254700123456"
              value={String(draft['escalation_phone'])}
              onInput={(e) => set('escalation_phone', e.currentTarget.value)}
            />
          </label>
          <label>
            E-mail
            <input
              type="email"
              value={String(draft['escalation_email'])}
              onInput={(e) => set('escalation_email', e.currentTarget.value)}
            />
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Texts and tuning</legend>
        {META.map(([key, label, kind]) =>
          kind === 'number' ? (
            <label key={key}>
              {label}
              <input
                type="number"
                step="any"
                min={0}
                value={String(draft[key])}
                onInput={(e) => set(key, e.currentTarget.value)}
              />
            </label>
          ) : (
            <label key={key}>
              {label}
              <textarea rows={2} value={String(draft[key])} onInput={(e) => set(key, e.currentTarget.value)} />
            </label>
          ),
        )}
      </fieldset>
      <FormFooter error={error} notice={notice} saving={saving} saveLabel="Save settings" />
    </form>
  );
}
