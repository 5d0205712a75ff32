// A document whose text was not read because reading it would cost too much, with whether trying
// again later can help (only when every parse slot was taken; a file that was too big stays so).

export type DocumentReadFailure = 'timeout' | 'memory' | 'crashed' | 'busy';

export class DocumentReadError extends Error {
  constructor(
    message: string,
    readonly reason: DocumentReadFailure,
  ) {
    super(message);
    this.name = 'DocumentReadError';
  }

  get retryable(): boolean {
    return this.reason === 'busy';
  }
}
