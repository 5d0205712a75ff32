// A Daraja call that did not give an answer we can use: its error body ({"requestId","errorCode",
// "errorMessage"}) when it sent one, else what went wrong on the way (timeout, network, bad JSON).

export class DarajaError extends Error {
  override name = 'DarajaError';

  constructor(
    message: string,
    /** Daraja's errorCode ("400.002.02", "500.001.1001"), or null without an error body. */
    readonly errorCode: string | null,
    /** HTTP status, or null when no answer came. */
    readonly httpStatus: number | null,
  ) {
    super(message);
  }

  /** The query's answer while the customer has not finished with the prompt. */
  get stillProcessing(): boolean {
    return this.errorCode === '500.001.1001' && /process/i.test(this.message);
  }
}
