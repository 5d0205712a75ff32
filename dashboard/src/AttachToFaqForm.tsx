// "This is FAQ X": a grouped question's wordings become alternative questions of an existing FAQ
// (POST .../training/<row>/variants), so the bot answers them with that FAQ from the next message.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { Page, QuestionToTeach, TrainingRowView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import { FormFooter } from './FormFooter.js';
import type { PageProps } from './pageProps.js';
import { asApiError, useLoad } from './useLoad.js';

export interface AttachToFaqFormProps extends PageProps {
  question: QuestionToTeach;
  onSaved: (row: TrainingRowView) => void;
  onCancel: () => void;
}

export function AttachToFaqForm({ client, tenantId, question, onSaved, onCancel }: AttachToFaqFormProps) {
  const [find, setFind] = useState('');
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const faqs = useLoad(
    () =>
      client.get<Page<TrainingRowView>>(`/tenants/${tenantId}/training`, {
        data_type: 'faq',
        limit: 100,
        q: find.trim(),
      }),
    [tenantId, find],
  );
  // A row's variants are at most 300 characters: a longer wording stays a question to teach.
  const wordings = [question.question, ...question.examples].filter((wording) => wording.trim().length <= 300);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onSaved(
        await client.post<TrainingRowView>(`/tenants/${tenantId}/training/${chosen}/variants`, { variants: wordings }),
      );
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="teach" onSubmit={submit} aria-label={`This is an FAQ already: ${question.question}`}>
      <p class="muted">
        {wordings.length === 1 ? 'This wording' : `These ${wordings.length} wordings`} will be answered with the FAQ you
        choose.
      </p>
      <label>
        Find an FAQ
        <input type="search" value={find} onInput={(e) => setFind(e.currentTarget.value)} />
      </label>
      <ErrorNote error={faqs.error} />
      <label>
        FAQ
        <select
          required
          aria-label="The FAQ that answers it"
          value={chosen}
          onChange={(e) => setChosen(e.currentTarget.value)}
        >
          <option value="">Choose the FAQ that answers it</option>
          {faqs.data?.data.map((row) => (
            <option key={row.id} value={row.id}>
              {row.question}
            </option>
          ))}
        </select>
      </label>
      <FormFooter error={error} saving={saving} saveLabel="Answer with this FAQ" onCancel={onCancel} />
    </form>
  );
}
