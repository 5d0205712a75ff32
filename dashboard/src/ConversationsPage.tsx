// Conversations: the message log, newest first, searchable by customer number and by text; a
// customer's number opens that conversation as a thread.
import { useState } from 'preact/hooks';
import type { MessageLogView, Page } from './apiTypes.js';
import { ClippedText } from './ClippedText.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import { answeredBy, messageText, statusText } from './messageFacts.js';
import type { PageProps } from './pageProps.js';
import { Pager } from './Pager.js';
import { hrefOf, linkClick } from './router.js';
import { ThreadView } from './ThreadView.js';
import { useLoad } from './useLoad.js';

const PAGE_SIZE = 25;

export function ConversationsPage({ client, tenantId, phone }: PageProps & { phone: string | null }) {
  if (phone) return <ThreadView client={client} tenantId={tenantId} phone={phone} />;
  return <MessageLog client={client} tenantId={tenantId} />;
}

function MessageLog({ client, tenantId }: PageProps) {
  const [draft, setDraft] = useState({ phone: '', text: '' });
  const [search, setSearch] = useState({ phone: '', text: '' });
  const [page, setPage] = useState(1);
  const log = useLoad(
    () =>
      client.get<Page<MessageLogView>>(`/tenants/${tenantId}/messages`, {
        page,
        limit: PAGE_SIZE,
        user_phone: search.phone.trim(),
        q: search.text.trim(),
      }),
    [tenantId, page, search.phone, search.text],
  );

  const submit = (event: Event) => {
    event.preventDefault();
    setSearch(draft);
    setPage(1);
  };

  return (
    <section aria-labelledby="conversations-title">
      <h1 id="conversations-title">Conversations</h1>
      <form class="search" role="search" onSubmit={submit}>
        <label>
          Customer number
          <input
            type="tel"
            inputMode="tel"
            placeholder="+254700123456"
            value={draft.phone}
            onInput={(e) => setDraft({ ...draft, phone: e.currentTarget.value })}
          />
        </label>
        <label>
          Text contains
          <input
            type="search"
            value={draft.text}
            onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={log.error} />
      {log.loading && !log.data && <p aria-live="polite">Loading messages…</p>}
      {log.data && log.data.data.length === 0 && <p class="muted">No messages match.</p>}
      {log.data && log.data.data.length > 0 && (
        <>
          <p class="muted" aria-live="polite">
            {format.count(log.data.total)} message{log.data.total === 1 ? '' : 's'}
          </p>
          <div class="table-scroll">
            <table class="messages">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Way</th>
                  <th scope="col">Message</th>
                  <th scope="col">Status</th>
                  <th scope="col">Answered by</th>
                </tr>
              </thead>
              <tbody>
                {log.data.data.map((row) => {
                  const href = hrefOf('conversations', row.user_phone);
                  return (
                    <tr key={row.id} class={row.direction}>
                      <td data-label="When">{format.dateTime(row.created_at)}</td>
                      <td data-label="Customer">
                        <a
                          href={href}
                          onClick={(e) => linkClick(e, href)}
                          aria-label={`Conversation with ${format.phone(row.user_phone)}`}
                        >
                          {format.phone(row.user_phone)}
                        </a>
                      </td>
                      <td data-label="Way">{row.direction === 'inbound' ? 'In' : 'Out'}</td>
                      <td data-label="Message" class="text">
                        <ClippedText class="cell-text" text={messageText(row)} />
                      </td>
                      <td data-label="Status">{statusText(row)}</td>
                      <td data-label="Answered by">{answeredBy(row)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={page} limit={PAGE_SIZE} total={log.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
