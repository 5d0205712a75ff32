// One conversation in the inbox: its messages with delivery ticks, a reply box inside the 24-hour
// window, an approved template outside it, and who has it (Resolve hands it back to the bot).
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { ConversationSummary, InboxMessage, MeView, TeamUserView, WhatsAppTemplate } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import { handledBy, ticks, windowLeft } from './inboxFacts.js';
import type { PageProps } from './pageProps.js';
import { asApiError, useLoad } from './useLoad.js';

interface ThreadProps extends PageProps {
  phone: string;
  conversation: ConversationSummary | null;
  me: MeView;
  /** Changes whenever the event stream says something happened. */
  round: number;
  now: number;
  onChanged: () => void;
}

export function InboxThread({ client, tenantId, phone, conversation, me, round, now, onChanged }: ThreadProps) {
  const base = `/tenants/${tenantId}/conversations/${phone}`;
  const thread = useLoad(() => client.get<{ data: InboxMessage[] }>(`${base}/messages`), [tenantId, phone, round]);
  const open = windowLeft(conversation?.window_ends_at ?? null, now);
  const myId = me.role === 'tenant' ? (me.user?.id ?? null) : null;
  const isAgent = me.role === 'tenant' && me.user?.role === 'agent';
  // Owners (and the administrator) may list the team to assign; an agent assigns to themselves.
  const team = useLoad(
    () =>
      isAgent
        ? Promise.resolve({ data: [] as TeamUserView[] })
        : client.get<{ data: TeamUserView[] }>(`/tenants/${tenantId}/users`),
    [tenantId, isAgent],
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      thread.reload();
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="thread-title">
      <h2 id="thread-title">Conversation with {format.phone(phone)}</h2>
      {conversation && (
        <p class="muted">
          {handledBy(conversation)} · {open ?? 'The 24-hour window is closed: only templates can be sent'}
        </p>
      )}
      <div class="row-actions">
        {conversation?.handled_by === 'person' && (
          <button type="button" disabled={busy} onClick={() => act(() => client.post(`${base}/resolve`))}>
            Resolve
          </button>
        )}
        {myId && conversation?.assigned_user_id !== myId && (
          <button
            type="button"
            disabled={busy}
            onClick={() => act(() => client.post(`${base}/assign`, { user_id: myId }))}
          >
            Assign to me
          </button>
        )}
        {!isAgent && (team.data?.data.length ?? 0) > 0 && (
          <label>
            Assign
            <select
              value={conversation?.assigned_user_id ?? ''}
              disabled={busy}
              onChange={(e) => {
                const value = e.currentTarget.value;
                void act(() => client.post(`${base}/assign`, { user_id: value || null }));
              }}
            >
              <option value="">Nobody</option>
              {team.data?.data
                .filter((u) => u.state !== 'disabled')
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          </label>
        )}
      </div>
      <ErrorNote error={thread.error ?? error} />
      <ol class="thread" aria-label="Messages">
        {(thread.data?.data ?? []).map((m) => {
          const tick = ticks(m);
          return (
            <li key={m.id} class={`bubble ${m.direction}`}>
              <p class="bubble-text">{m.text ?? `[${m.message_type ?? 'message'}]`}</p>
              <p class="bubble-meta">
                {m.sent_by === 'customer' ? 'Customer' : m.sent_by === 'agent' ? 'Person' : 'Bot'} ·{' '}
                {format.dateTime(m.created_at)}
                {tick && (
                  <span class={`ticks${tick.read ? ' read' : ''}`} title={tick.label}>
                    {' '}
                    <span aria-hidden="true">{tick.text}</span>
                    <span class="visually-hidden">{tick.label}</span>
                  </span>
                )}
              </p>
            </li>
          );
        })}
      </ol>
      {open ? (
        <ReplyBox busy={busy} onSend={(text) => act(() => client.post(`${base}/messages`, { text }))} />
      ) : (
        <TemplatePicker
          {...{ client, tenantId, busy }}
          onSend={(template) => act(() => client.post(`${base}/messages`, { template }))}
        />
      )}
    </section>
  );
}

function ReplyBox({ busy, onSend }: { busy: boolean; onSend: (text: string) => Promise<void> }) {
  const [text, setText] = useState('');
  return (
    <form
      class="reply"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        void onSend(text.trim()).then(() => setText(''));
      }}
    >
      <label>
        Reply
        <textarea rows={3} maxLength={4096} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={busy || !text.trim()}>
        Send
      </button>
    </form>
  );
}

type TemplateChoice = { name: string; language: string; parameters: string[] };

function TemplatePicker({
  client,
  tenantId,
  busy,
  onSend,
}: PageProps & { busy: boolean; onSend: (template: TemplateChoice) => Promise<void> }) {
  const templates = useLoad(
    () => client.get<{ data: WhatsAppTemplate[] }>(`/tenants/${tenantId}/whatsapp-templates`),
    [tenantId],
  );
  const [chosen, setChosen] = useState('');
  const [parameters, setParameters] = useState<string[]>([]);
  const list = templates.data?.data ?? [];
  const template = list.find((t) => `${t.name}|${t.language}` === chosen) ?? null;
  return (
    <form
      class="reply"
      onSubmit={(e) => {
        e.preventDefault();
        if (template)
          void onSend({
            name: template.name,
            language: template.language,
            parameters: parameters.slice(0, template.parameter_count),
          });
      }}
    >
      <ErrorNote error={templates.error} />
      <label>
        Template
        <select value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
          <option value="">Choose an approved template</option>
          {list.map((t) => (
            <option key={`${t.name}|${t.language}`} value={`${t.name}|${t.language}`}>
              {t.name} ({t.language})
            </option>
          ))}
        </select>
      </label>
      {template?.body && <p class="muted">{template.body}</p>}
      {Array.from({ length: template?.parameter_count ?? 0 }, (_, i) => (
        <label key={i}>
          {`Parameter {{${i + 1}}}`}
          <input
            value={parameters[i] ?? ''}
            onInput={(e) => {
              const next = [...parameters];
              next[i] = e.currentTarget.value;
              setParameters(next);
            }}
          />
        </label>
      ))}
      <button type="submit" class="primary" disabled={busy || !template}>
        Send template
      </button>
    </form>
  );
}
