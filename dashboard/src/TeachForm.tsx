// "Make this an FAQ": the question and the AI's latest answer, editable, saved as a new FAQ
// (POST .../training).
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { QuestionToTeach, TrainingRowView } from './apiTypes.js';
import { FormFooter } from './FormFooter.js';
import type { PageProps } from './pageProps.js';
import { asApiError } from './useLoad.js';

export interface TeachFormProps extends PageProps {
  question: QuestionToTeach;
  onSaved: (row: TrainingRowView) => void;
  onCancel: () => void;
}

export function TeachForm({ client, tenantId, question, onSaved, onCancel }: TeachFormProps) {
  const [text, setText] = useState(question.question);
  const [answer, setAnswer] = useState(question.suggested_answer ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onSaved(
        await client.post<TrainingRowView>(`/tenants/${tenantId}/training`, {
          question: text,
          answer,
          data_type: 'faq',
        }),
      );
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="teach" onSubmit={submit} aria-label={`New FAQ: ${question.question}`}>
      <label>
        Question
        <textarea rows={2} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <label>
        Answer {question.suggested_answer ? "(the AI's latest answer; edit it as you like)" : ''}
        <textarea rows={4} required value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
      </label>
      <FormFooter error={error} saving={saving} saveLabel="Save as FAQ" onCancel={onCancel} />
    </form>
  );
}
