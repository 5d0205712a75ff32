// A failure the operator can act on: printed as its message alone (never a stack trace), exit 1.

export class CliError extends Error {
  constructor(
    message: string,
    /** Extra lines printed under the message: what to do about it. */
    readonly hints: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
