// FAQ editor: the tenant's training rows, searchable, with add, edit, delete, import and export.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { Page, TrainingRowView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { FaqForm } from './FaqForm.js';
import { FaqTransfer } from './FaqTransfer.js';
import type { PageProps } from './pageProps.js';
import { Pager } from './Pager.js';
import { asApiError, useLoad } from './useLoad.js';

const PAGE_SIZE = 20;
const KINDS = [
  { value: 'faq', label: 'FAQs' },
  { value: 'example', label: 'Examples' },
  { value: 'rule', label: 'Rules' },
  { value: '', label: 'Everything' },
];

export function FaqPage({ client, tenantId }: PageProps) {
  const [kind, setKind] = useState('faq');
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<TrainingRowView | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const rows = useLoad(
    () =>
      client.get<Page<TrainingRowView>>(`/tenants/${tenantId}/training`, {
        page,
        limit: PAGE_SIZE,
        data_type: kind,
        q: q.trim(),
      }),
    [tenantId, kind, q, page],
  );

  const saved = (row: TrainingRowView) => {
    setNotice(`Saved "${row.question ?? ''}". The bot uses it from the next message.`);
    setEditing(null);
    rows.reload();
  };
  const remove = async (row: TrainingRowView) => {
    if (!window.confirm(`Delete "${row.question ?? ''}"?`)) return;
    setActionError(null);
    try {
      await client.delete(`/tenants/${tenantId}/training/${row.id}`);
      setNotice(`Deleted "${row.question ?? ''}".`);
      rows.reload();
    } catch (err) {
      setActionError(asApiError(err));
    }
  };
  const edit = (row: TrainingRowView | 'new') => {
    setNotice(null);
    setEditing(row);
  };

  return (
    <section aria-labelledby="faq-title">
      <h1 id="faq-title">FAQ editor</h1>
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => edit('new')}>
          New FAQ
        </button>
        <form
          class="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draft);
            setPage(1);
          }}
        >
          <label>
            Find
            <input type="search" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          </label>
          <label>
            Show
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value);
                setPage(1);
              }}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Search</button>
        </form>
      </div>
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      <ErrorNote error={actionError} />
      {editing && (
        <FaqForm
          key={editing === 'new' ? 'new' : editing.id}
          client={client}
          tenantId={tenantId}
          row={editing === 'new' ? null : editing}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      <ErrorNote error={rows.error} />
      {rows.loading && !rows.data && <p aria-live="polite">Loading…</p>}
      {rows.data && rows.data.data.length === 0 && <p class="muted">Nothing here yet.</p>}
      {rows.data && rows.data.data.length > 0 && (
        <>
          <ul class="faq-list">
            {rows.data.data.map((row) => (
              <li key={row.id} class={row.is_active ? 'faq' : 'faq inactive'}>
                <p class="faq-q">{row.question}</p>
                {row.variants.length > 0 && <p class="muted faq-variants">Also asked as: {row.variants.join(' · ')}</p>}
                <p class="faq-a">{row.answer}</p>
                <p class="muted">
                  {row.data_type}
                  {row.category ? ` · ${row.category}` : ''} · priority {row.priority} · confidence{' '}
                  {row.confidence_score}
                  {row.is_active ? '' : ' · inactive'}
                </p>
                <div class="actions">
                  <button type="button" onClick={() => edit(row)} aria-label={`Edit: ${row.question ?? ''}`}>
                    Edit
                  </button>
                  <button
                    type="button"
                    class="danger"
                    onClick={() => remove(row)}
                    aria-label={`Delete: ${row.question ?? ''}`}
                  >
                    Delete
                  </button>
                </div>
              </li>
            ))}
          </ul>
          <Pager page={page} limit={PAGE_SIZE} total={rows.data.total} onPage={setPage} />
        </>
      )}
      <FaqTransfer client={client} tenantId={tenantId} onImported={rows.reload} />
    </section>
  );
}
