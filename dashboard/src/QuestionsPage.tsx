// Questions to teach: what customers asked most that the FAQ did not answer, each one a step away
// from becoming an FAQ (prefilled with the AI's latest answer, for the owner to edit), or from being
// answered by an FAQ that exists already ("This is FAQ X": its wordings become that FAQ's variants).
import { useState } from 'preact/hooks';
import { AttachToFaqForm } from './AttachToFaqForm.js';
import type { QuestionsToTeachReport, QuestionToTeach } from './apiTypes.js';
import { DateRangePicker } from './DateRangePicker.js';
import { lastDays, type DateRange } from './dates.js';
import { ErrorNote } from './ErrorNote.js';
import { format } from './format.js';
import type { PageProps } from './pageProps.js';
import { TeachForm } from './TeachForm.js';
import { useLoad } from './useLoad.js';

const LIMIT = 20;

export function QuestionsPage({ client, tenantId }: PageProps) {
  const [range, setRange] = useState<DateRange>(() => lastDays(30));
  const report = useLoad(
    () =>
      client.get<QuestionsToTeachReport>(`/tenants/${tenantId}/analytics/questions`, {
        from: range.from,
        to: range.to,
        limit: LIMIT,
      }),
    [tenantId, range.from, range.to],
  );

  return (
    <section aria-labelledby="questions-title">
      <h1 id="questions-title">Questions to teach</h1>
      <p class="muted">
        The questions asked most often that no FAQ answered. Make one an FAQ and the bot answers it instantly, for free,
        from the next message.
      </p>
      <DateRangePicker value={range} onChange={setRange} />
      <ErrorNote error={report.error} />
      {report.loading && !report.data && <p aria-live="polite">Loading questions…</p>}
      {report.data && report.data.questions.length === 0 && (
        <p class="muted">Nothing to teach in these days: the FAQ answered everything.</p>
      )}
      <ol class="questions">
        {report.data?.questions.map((question) => (
          <Question
            key={`${question.question}-${question.last_asked_at}`}
            client={client}
            tenantId={tenantId}
            question={question}
          />
        ))}
      </ol>
    </section>
  );
}

function Question({ client, tenantId, question }: PageProps & { question: QuestionToTeach }) {
  const [teaching, setTeaching] = useState<'new' | 'existing' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <li class="panel question">
      <p class="faq-q">{question.question}</p>
      <p class="muted">
        Asked {format.count(question.count)} time{question.count === 1 ? '' : 's'}, last{' '}
        {format.dateTime(question.last_asked_at)} · {question.outcome === 'ai' ? 'answered by the AI' : 'not answered'}
      </p>
      {question.examples.length > 0 && (
        <details>
          <summary>Also asked as</summary>
          <ul>
            {question.examples.map((example) => (
              <li key={example}>{example}</li>
            ))}
          </ul>
        </details>
      )}
      {saved && (
        <p class="success" role="status">
          {saved}
        </p>
      )}
      {!saved && !teaching && (
        <div class="actions">
          <button
            type="button"
            class="primary"
            onClick={() => setTeaching('new')}
            aria-label={`Make this an FAQ: ${question.question}`}
          >
            Make this an FAQ
          </button>
          <button
            type="button"
            onClick={() => setTeaching('existing')}
            aria-label={`This is an FAQ already: ${question.question}`}
          >
            This is FAQ…
          </button>
        </div>
      )}
      {!saved && teaching === 'new' && (
        <TeachForm
          client={client}
          tenantId={tenantId}
          question={question}
          onSaved={() => {
            setTeaching(null);
            setSaved('Saved as an FAQ. The bot answers it from the next message.');
          }}
          onCancel={() => setTeaching(null)}
        />
      )}
      {!saved && teaching === 'existing' && (
        <AttachToFaqForm
          client={client}
          tenantId={tenantId}
          question={question}
          onSaved={(row) => {
            setTeaching(null);
            setSaved(`Added to "${row.question ?? ''}". The bot answers these wordings with it from the next message.`);
          }}
          onCancel={() => setTeaching(null)}
        />
      )}
    </li>
  );
}
