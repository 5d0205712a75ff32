// The end of every edit form: the API's error, what was saved, and Save (busy while saving)
// with an optional Cancel, so all forms say and behave the same.
import type { ApiError } from './apiClient.js';
import { ErrorNote } from './ErrorNote.js';

export function FormFooter({
  error,
  notice = null,
  saving,
  saveLabel,
  onCancel,
}: {
  error: ApiError | null;
  notice?: string | null;
  saving: boolean;
  saveLabel: string;
  onCancel?: () => void;
}) {
  return (
    <>
      <ErrorNote error={error} />
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? 'Saving…' : saveLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </>
  );
}
