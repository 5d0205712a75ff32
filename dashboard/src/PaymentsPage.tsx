// Payments: every M-Pesa payment asked for (from the API, a WhatsApp order or the AI), newest
// first, filtered by status, customer number and days; each with its status, why it failed and
// its M-Pesa receipt. The tenant's M-Pesa settings sit below the list.
import { useState } from 'preact/hooks';
import type { Page, PaymentView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import { MpesaSettingsForm } from './MpesaSettingsForm.js';
import { PaymentFigures } from './PaymentFigures.js';
import type { PageProps } from './pageProps.js';
import { Pager } from './Pager.js';
import { useLoad } from './useLoad.js';

const PAGE_SIZE = 25;
const STATUSES = [
  ['', 'Any status'],
  ['paid', 'Paid'],
  ['failed', 'Failed'],
  ['pending', 'Waiting for the customer'],
  ['offered', 'Offered in the chat'],
] as const;

const REASONS: Record<string, string> = {
  cancelled: 'cancelled by the customer',
  timeout: 'not answered in time',
  wrong_pin: 'wrong PIN',
  insufficient_funds: 'not enough balance',
  busy: 'another payment in progress',
  daraja_error: 'M-Pesa refused or unreachable',
  other: 'not completed',
};
const SOURCES: Record<string, string> = { api: 'API', order: 'WhatsApp order', ai: 'Chat (AI)' };

interface Filters {
  status: string;
  phone: string;
  from: string;
  to: string;
}

export function statusOf(p: PaymentView): string {
  if (p.status === 'paid') return 'Paid';
  if (p.status === 'pending') return 'Waiting for the customer';
  if (p.status === 'offered') return 'Offered, not confirmed';
  return `Failed: ${REASONS[p.failure_reason ?? 'other'] ?? p.failure_reason}`;
}

export function PaymentsPage({ client, tenantId }: PageProps) {
  const empty: Filters = { status: '', phone: '', from: '', to: '' };
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const [page, setPage] = useState(1);
  const list = useLoad(
    () =>
      client.get<Page<PaymentView>>(`/tenants/${tenantId}/payments`, {
        page,
        limit: PAGE_SIZE,
        status: filters.status,
        phone: filters.phone.trim(),
        from: filters.from,
        to: filters.to,
      }),
    [tenantId, page, filters.status, filters.phone, filters.from, filters.to],
  );
  const set = (name: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [name]: e.currentTarget.value });
  const submit = (event: Event) => {
    event.preventDefault();
    setFilters(draft);
    setPage(1);
  };

  return (
    <section aria-labelledby="payments-title">
      <h1 id="payments-title">Payments</h1>
      <form class="search" role="search" aria-label="Filter payments" onSubmit={submit}>
        <label>
          Status
          <select value={draft.status} onChange={set('status')}>
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer number
          <input type="tel" inputMode="tel" placeholder="0712345678" value={draft.phone} onInput={set('phone')} />
        </label>
        <label>
          From
          <input type="date" value={draft.from} onInput={set('from')} />
        </label>
        <label>
          To
          <input type="date" value={draft.to} onInput={set('to')} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={list.error} />
      {list.loading && !list.data && <p aria-live="polite">Loading payments…</p>}
      {list.data && list.data.data.length === 0 && <p class="muted">No payments match.</p>}
      {list.data && list.data.data.length > 0 && (
        <>
          <p class="muted" aria-live="polite">
            {format.count(list.data.total)} payment{list.data.total === 1 ? '' : 's'}
          </p>
          <div class="table-scroll">
            <table class="payments">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Status</th>
                  <th scope="col">M-Pesa receipt</th>
                  <th scope="col">From</th>
                  <th scope="col">Reference</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((p) => (
                  <tr key={p.id} class={`payment-${p.status}`}>
                    <td data-label="When">{format.dateTime(p.created_at)}</td>
                    <td data-label="Customer">{format.phone(p.phone)}</td>
                    <td data-label="Amount">KES {format.count(p.amount)}</td>
                    <td data-label="Status" title={p.result_desc ?? undefined}>
                      {statusOf(p)}
                    </td>
                    <td data-label="M-Pesa receipt">
                      {p.receipt_number ?? (p.status === 'paid' ? "in the customer's M-Pesa message" : '–')}
                    </td>
                    <td data-label="From">{SOURCES[p.source] ?? p.source}</td>
                    <td data-label="Reference">{p.reference}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} limit={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
      <PaymentFigures client={client} tenantId={tenantId} reasons={REASONS} />
      <MpesaSettingsForm client={client} tenantId={tenantId} />
    </section>
  );
}
