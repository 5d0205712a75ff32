// Escalations: the conversations the bot leaves to a person right now, each with a Resume button
// (the bot answers that customer again), and why customers were escalated lately.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { AnalyticsReport, HandoffView, Page } from './apiTypes.js';
import { lastDays } from './dates.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import type { PageProps } from './pageProps.js';
import { Pager } from './Pager.js';
import { hrefOf, linkClick } from './router.js';
import { asApiError, useLoad } from './useLoad.js';

const PAGE_SIZE = 20;
const REASON_DAYS = 30;

export function EscalationsPage({ client, tenantId }: PageProps) {
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [resuming, setResuming] = useState<string | null>(null);
  const handoffs = useLoad(
    () => client.get<Page<HandoffView>>(`/tenants/${tenantId}/handoffs`, { page, limit: PAGE_SIZE }),
    [tenantId, page],
  );
  const range = lastDays(REASON_DAYS);
  const report = useLoad(
    () => client.get<AnalyticsReport>(`/tenants/${tenantId}/analytics`, { from: range.from, to: range.to }),
    [tenantId],
  );

  const resume = async (phone: string) => {
    setActionError(null);
    setNotice(null);
    setResuming(phone);
    try {
      const answer = await client.post<{ user_phone: string; resumed: boolean }>(
        `/tenants/${tenantId}/handoffs/${phone}/resume`,
      );
      setNotice(
        answer.resumed
          ? `The bot answers ${format.phone(phone)} again.`
          : `${format.phone(phone)} was not paused any more.`,
      );
      handoffs.reload();
    } catch (err) {
      setActionError(asApiError(err));
    } finally {
      setResuming(null);
    }
  };

  return (
    <section aria-labelledby="escalations-title">
      <h1 id="escalations-title">Escalations and handoffs</h1>
      <h2>Waiting for a person</h2>
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      <ErrorNote error={actionError} />
      <ErrorNote error={handoffs.error} />
      {handoffs.loading && !handoffs.data && <p aria-live="polite">Loading…</p>}
      {handoffs.data && handoffs.data.data.length === 0 && (
        <p class="muted">No conversation is paused: the bot answers everyone.</p>
      )}
      {handoffs.data && handoffs.data.data.length > 0 && (
        <>
          <ul class="handoffs">
            {handoffs.data.data.map((h) => {
              const href = hrefOf('conversations', h.user_phone);
              return (
                <li key={h.user_phone} class="panel">
                  <p>
                    <a href={href} onClick={(e) => linkClick(e, href)}>
                      {format.phone(h.user_phone)}
                    </a>
                    {h.pause_reason ? ` · ${h.pause_reason}` : ''}
                  </p>
                  <p class="muted">
                    The bot is quiet until {format.dateTime(h.paused_until)}
                    {h.last_escalated_at ? `; escalated ${format.dateTime(h.last_escalated_at)}` : ''}.
                  </p>
                  <button
                    type="button"
                    class="primary"
                    disabled={resuming === h.user_phone}
                    onClick={() => resume(h.user_phone)}
                    aria-label={`Resume the bot for ${format.phone(h.user_phone)}`}
                  >
                    Resume
                  </button>
                </li>
              );
            })}
          </ul>
          <Pager page={page} limit={PAGE_SIZE} total={handoffs.data.total} onPage={setPage} />
        </>
      )}
      <h2>Why customers were escalated (last {REASON_DAYS} days)</h2>
      <ErrorNote error={report.error} />
      {report.data && report.data.escalations.length === 0 && <p class="muted">No escalations.</p>}
      {report.data && report.data.escalations.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">Escalations</th>
              </tr>
            </thead>
            <tbody>
              {report.data.escalations.map((e) => (
                <tr key={e.reason}>
                  <td>{e.reason}</td>
                  <td>{format.count(e.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
