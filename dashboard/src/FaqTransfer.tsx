// Bulk import (CSV or JSON, with the API's per-row error report) and export of training rows.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { ImportResult, ImportRowError } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import type { PageProps } from './pageProps.js';
import { asApiError } from './useLoad.js';

export function FaqTransfer({ client, tenantId, onImported }: PageProps & { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [partial, setPartial] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    if (mode === 'replace' && !window.confirm('Replace deletes every existing training row first. Go on?')) return;
    setBusy(true);
    setResult(null);
    setError(null);
    setRowErrors([]);
    try {
      const json = /\.json$/i.test(file.name) || file.type === 'application/json';
      const answer = await client.postRaw<ImportResult>(
        `/tenants/${tenantId}/training/import`,
        { text: await file.text(), contentType: json ? 'application/json' : 'text/csv' },
        { mode, partial },
      );
      setResult(answer);
      setRowErrors(answer.errors);
      onImported();
    } catch (err) {
      const failure = asApiError(err);
      setError(failure);
      const errors = (failure.body as { errors?: unknown } | null)?.errors;
      setRowErrors(Array.isArray(errors) ? (errors as ImportRowError[]) : []);
    } finally {
      setBusy(false);
    }
  };

  const exportAs = async (format: 'csv' | 'json') => {
    setError(null);
    try {
      const { blob, filename } = await client.download(`/tenants/${tenantId}/training/export`, { format });
      const url = URL.createObjectURL(blob);
      const link = Object.assign(document.createElement('a'), { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <section class="panel" aria-labelledby="transfer-title">
      <h2 id="transfer-title">Import and export</h2>
      <form onSubmit={submit}>
        <label>
          File (CSV with a header row question,answer,…, or JSON)
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <div class="row">
          <label>
            Existing rows
            <select value={mode} onChange={(e) => setMode(e.currentTarget.value === 'replace' ? 'replace' : 'append')}>
              <option value="append">Keep them (add the file's rows)</option>
              <option value="replace">Replace them all</option>
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={partial} onChange={(e) => setPartial(e.currentTarget.checked)} />
            Import the good rows even if some are bad
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={!file || busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          <button type="button" onClick={() => exportAs('csv')}>
            Export CSV
          </button>
          <button type="button" onClick={() => exportAs('json')}>
            Export JSON
          </button>
        </div>
      </form>
      {result && (
        <p class="success" role="status">
          Imported {result.imported} row{result.imported === 1 ? '' : 's'}
          {result.replaced > 0 ? `, replacing ${result.replaced}` : ''}.
        </p>
      )}
      <ErrorNote error={error} />
      {rowErrors.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption>Rows not imported</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {rowErrors.map((e, i) => (
                <tr key={i}>
                  <td>{e.row}</td>
                  <td>{e.field ?? '–'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
