// What of an error may be logged or stored: database drivers append the failed query's
// parameters (customer text, maybe secrets) after a "params:" line, which must never leave.

export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\nparams:')[0] ?? message;
}
