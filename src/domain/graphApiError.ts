// A failed Graph API call, carrying what Meta said so callers can decide to retry or give up.

/** Meta error codes that mean "slow down and try again". */
const THROTTLING_CODES = new Set([4, 80007, 130429, 131056, 131048]);
/** Meta error codes that will fail the same way on every retry. */
const PERMANENT_CODES = new Set([100, 190, 131047, 131026, 131051, 131052, 132000, 132001, 133010]);

export interface GraphApiErrorFields {
  httpStatus: number | null;
  code: number | null;
  subcode: number | null;
  type: string | null;
  details: string | null;
  fbtraceId: string | null;
}

export class GraphApiError extends Error implements GraphApiErrorFields {
  readonly httpStatus: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly type: string | null;
  readonly details: string | null;
  readonly fbtraceId: string | null;

  constructor(message: string, fields: GraphApiErrorFields) {
    super(message);
    this.name = 'GraphApiError';
    this.httpStatus = fields.httpStatus;
    this.code = fields.code;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.details = fields.details;
    this.fbtraceId = fields.fbtraceId;
  }

  /** Network errors (no status), 5xx and throttling are worth another attempt; the rest is final. */
  get retryable(): boolean {
    if (this.code !== null && PERMANENT_CODES.has(this.code)) return false;
    if (this.code !== null && THROTTLING_CODES.has(this.code)) return true;
    if (this.httpStatus === null) return true;
    return this.httpStatus >= 500 || this.httpStatus === 429;
  }
}
