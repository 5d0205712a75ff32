// One customer's conversation, oldest first, as chat bubbles (the latest 100 messages).
import type { MessageLogView, Page } from './apiTypes.js';
import { ClippedText } from './ClippedText.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import { answeredBy, messageText, statusText } from './messageFacts.js';
import type { PageProps } from './pageProps.js';
import { hrefOf, linkClick } from './router.js';
import { useLoad } from './useLoad.js';

const THREAD_SIZE = 100;

export function ThreadView({ client, tenantId, phone }: PageProps & { phone: string }) {
  const thread = useLoad(
    () => client.get<Page<MessageLogView>>(`/tenants/${tenantId}/messages`, { user_phone: phone, limit: THREAD_SIZE }),
    [tenantId, phone],
  );
  const back = hrefOf('conversations');
  const rows = thread.data ? [...thread.data.data].reverse() : [];

  return (
    <section aria-labelledby="thread-title">
      <p>
        <a href={back} onClick={(e) => linkClick(e, back)}>
          ← All conversations
        </a>
      </p>
      <h1 id="thread-title">Conversation with {format.phone(phone)}</h1>
      <ErrorNote error={thread.error} />
      {thread.loading && !thread.data && <p aria-live="polite">Loading the conversation…</p>}
      {thread.data && thread.data.total > THREAD_SIZE && (
        <p class="muted">
          Showing the latest {THREAD_SIZE} of {format.count(thread.data.total)} messages.
        </p>
      )}
      {thread.data && rows.length === 0 && <p class="muted">No messages with this customer.</p>}
      <ol class="thread">
        {rows.map((row) => (
          <li key={row.id} class={`bubble ${row.direction}`}>
            <ClippedText class="bubble-text" text={messageText(row)} />
            <p class="bubble-meta">
              {row.direction === 'inbound' ? 'Customer' : answeredBy(row) || 'Bot'} · {format.dateTime(row.created_at)}{' '}
              · {statusText(row)}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
