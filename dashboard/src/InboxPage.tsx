// The inbox: conversations waiting for a person first, each with its unread count, who has it and
// the 24-hour window's remaining time; the chosen one opens beside the list. Kept current by the
// event stream, without a reload.
import { useEffect, useState } from 'preact/hooks';
import type { ConversationSummary, MeView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import { InboxThread } from './InboxThread.js';
import { handledBy, windowLeft } from './inboxFacts.js';
import type { PageProps } from './pageProps.js';
import { hrefOf, linkClick } from './router.js';
import { useInboxEvents } from './useInboxEvents.js';
import { useLoad } from './useLoad.js';

export function InboxPage({ client, tenantId, phone, me }: PageProps & { phone: string | null; me: MeView }) {
  const list = useLoad(
    () => client.get<{ data: ConversationSummary[] }>(`/tenants/${tenantId}/conversations`),
    [tenantId],
  );
  const [round, setRound] = useState(0);
  const [now, setNow] = useState(Date.now());
  const live = useInboxEvents(client, tenantId, () => {
    list.reload();
    setRound((n) => n + 1);
  });
  // The remaining window time moves on by itself.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const conversations = list.data?.data ?? [];
  const chosen = conversations.find((c) => c.user_phone === phone) ?? null;

  return (
    <section aria-labelledby="inbox-title" class="inbox">
      <h1 id="inbox-title">Inbox</h1>
      <p class="muted" aria-live="polite">
        {live === 'live' ? 'Live' : live === 'polling' ? 'Updated every few seconds' : 'Connecting…'}
      </p>
      <ErrorNote error={list.error} />
      <div class="inbox-panes">
        <ul class="inbox-list" aria-label="Conversations">
          {list.data && conversations.length === 0 && <li class="muted">No conversations in the last 30 days.</li>}
          {conversations.map((c) => {
            const href = hrefOf('inbox', c.user_phone);
            const left = windowLeft(c.window_ends_at, now);
            return (
              <li
                key={c.user_phone}
                class={`inbox-item${c.waiting ? ' waiting' : ''}`}
                aria-current={c.user_phone === phone ? 'true' : undefined}
              >
                <a href={href} onClick={(e) => linkClick(e, href)}>
                  <strong>{format.phone(c.user_phone)}</strong>
                  {c.unread > 0 && (
                    <span class="unread">
                      {c.unread}
                      <span class="visually-hidden"> unread</span>
                    </span>
                  )}
                  <span class="inbox-last">{c.last_text ?? '[message]'}</span>
                  <span class="muted">
                    {handledBy(c)} · {left ?? 'window closed'}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
        <div class="inbox-thread">
          {phone ? (
            <InboxThread
              key={phone}
              client={client}
              tenantId={tenantId}
              phone={phone}
              conversation={chosen}
              me={me}
              round={round}
              now={now}
              onChanged={list.reload}
            />
          ) : (
            <p class="muted">Choose a conversation.</p>
          )}
        </div>
      </div>
    </section>
  );
}
