// Picks the days a page reports on: two date fields and quick choices (last 7, 30, 90 days).
import { useEffect, useState } from 'preact/hooks';
import { lastDays, rangeProblem, type DateRange } from './dates.js';

const PRESETS = [7, 30, 90];

export function DateRangePicker({ value, onChange }: { value: DateRange; onChange: (range: DateRange) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value.from, value.to]);
  const problem = rangeProblem(draft);

  const change = (next: DateRange) => {
    setDraft(next);
    if (!rangeProblem(next)) onChange(next);
  };

  return (
    <fieldset class="date-range">
      <legend>Dates (UTC)</legend>
      <label>
        From
        <input
          type="date"
          value={draft.from}
          max={draft.to}
          onChange={(e) => change({ ...draft, from: e.currentTarget.value })}
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={draft.to}
          min={draft.from}
          onChange={(e) => change({ ...draft, to: e.currentTarget.value })}
        />
      </label>
      <div class="presets" role="group" aria-label="Quick choices">
        {PRESETS.map((days) => (
          <button type="button" key={days} onClick={() => change(lastDays(days))}>
            Last {days} days
          </button>
        ))}
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
