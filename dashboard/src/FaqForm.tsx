// Adds or changes one training row (an FAQ, an example for the AI, or a rule); the bot uses the
// change from its very next message.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { TrainingRowView } from './apiTypes.js';
import { FormFooter } from './FormFooter.js';
import type { PageProps } from './pageProps.js';
import { asApiError } from './useLoad.js';

export interface FaqFormProps extends PageProps {
  /** The row to change; null adds a new one. */
  row: TrainingRowView | null;
  onSaved: (row: TrainingRowView) => void;
  onCancel: () => void;
}

export function FaqForm({ client, tenantId, row, onSaved, onCancel }: FaqFormProps) {
  const [fields, setFields] = useState(() => ({
    question: row?.question ?? '',
    answer: row?.answer ?? '',
    data_type: row?.data_type ?? 'faq',
    category: row?.category ?? '',
    priority: String(row?.priority ?? 5),
    confidence_score: String(row?.confidence_score ?? 1),
    is_active: row?.is_active ?? true,
    variants: (row?.variants ?? []).join('\n'),
  }));
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (change: Partial<typeof fields>) => setFields({ ...fields, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    // Numbers go as typed: a bad one comes back from the API as a 400 naming the field.
    const body = {
      ...fields,
      priority: Number(fields.priority),
      confidence_score: Number(fields.confidence_score),
      variants: fields.variants
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    };
    try {
      const saved = row
        ? await client.patch<TrainingRowView>(`/tenants/${tenantId}/training/${row.id}`, body)
        : await client.post<TrainingRowView>(`/tenants/${tenantId}/training`, body);
      onSaved(saved);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  const title = row ? 'Edit training row' : 'New FAQ';
  return (
    <form class="panel" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <label>
        Question
        <textarea rows={2} required value={fields.question} onInput={(e) => set({ question: e.currentTarget.value })} />
      </label>
      <label>
        Also asked as (one per line)
        <textarea rows={3} value={fields.variants} onInput={(e) => set({ variants: e.currentTarget.value })} />
      </label>
      <label>
        Answer
        <textarea rows={4} required value={fields.answer} onInput={(e) => set({ answer: e.currentTarget.value })} />
      </label>
      <div class="row">
        <label>
          Kind
          <select value={fields.data_type} onChange={(e) => set({ data_type: e.currentTarget.value })}>
            <option value="faq">FAQ (sent as written)</option>
            <option value="example">Example for the AI</option>
            <option value="rule">Rule for the AI</option>
          </select>
        </label>
        <label>
          Category
          <input value={fields.category} maxLength={64} onInput={(e) => set({ category: e.currentTarget.value })} />
        </label>
        <label>
          Priority (1–10)
          <input
            type="number"
            min={1}
            max={10}
            step={1}
            value={fields.priority}
            onInput={(e) => set({ priority: e.currentTarget.value })}
          />
        </label>
        <label>
          Confidence (0–1)
          <input
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={fields.confidence_score}
            onInput={(e) => set({ confidence_score: e.currentTarget.value })}
          />
        </label>
      </div>
      <label class="check">
        <input
          type="checkbox"
          checked={fields.is_active}
          onChange={(e) => set({ is_active: e.currentTarget.checked })}
        />
        Active
      </label>
      <FormFooter error={error} saving={saving} saveLabel="Save" onCancel={onCancel} />
    </form>
  );
}
