// The administrator's tenant picker: tenants by name, searchable by name or phone. Tenant keys
// never see it (Shell does not render it for them).
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from './apiClient.js';
import type { Page, TenantView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { useLoad } from './useLoad.js';

export interface TenantChoice {
  id: string;
  name: string;
}

export function TenantSwitcher({
  client,
  selected,
  onSelect,
}: {
  client: ApiClient;
  selected: string | null;
  onSelect: (tenant: TenantChoice) => void;
}) {
  const [q, setQ] = useState('');
  const tenants = useLoad(() => client.get<Page<TenantView>>('/tenants', { limit: 100, q: q.trim() }), [q]);
  const list = tenants.data?.data ?? [];

  // Nothing chosen yet (or the chosen tenant is gone): the first tenant is shown.
  useEffect(() => {
    if (q || !tenants.data) return;
    const current = list.find((t) => t.id === selected);
    const first = list[0];
    if (!current && first) onSelect({ id: first.id, name: first.client_name });
    if (current) onSelect({ id: current.id, name: current.client_name });
  }, [tenants.data]);

  return (
    <div class="switcher" role="group" aria-label="Tenant">
      <label>
        Tenant
        <select
          value={list.some((t) => t.id === selected) ? (selected ?? '') : ''}
          onChange={(e) => {
            const tenant = list.find((t) => t.id === e.currentTarget.value);
            if (tenant) onSelect({ id: tenant.id, name: tenant.client_name });
          }}
        >
          {!list.some((t) => t.id === selected) && <option value="">Choose a tenant…</option>}
          {list.map((t) => (
            <option key={t.id} value={t.id}>
              {t.client_name} ({t.client_phone})
            </option>
          ))}
        </select>
      </label>
      <label>
        Find tenant
        <input type="search" value={q} placeholder="name or phone" onInput={(e) => setQ(e.currentTarget.value)} />
      </label>
      <ErrorNote error={tenants.error} />
      {tenants.data && tenants.data.total === 0 && !q && (
        <p class="muted">No tenants yet: create one with the admin API or npm run admin.</p>
      )}
    </div>
  );
}
