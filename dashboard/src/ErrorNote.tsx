// An API failure as the API worded it: {error, details}, read out by screen readers.
import type { ApiError } from './apiClient.js';

export function ErrorNote({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      <strong>{error.title}</strong>: {error.details}
    </p>
  );
}
