// Safaricom's Daraja API over HTTP: an OAuth client-credentials token per tenant (cached until just
// before it expires), the STK push and the STK push query. Each call has its own timeout; errors
// come back as DarajaError naming Daraja's error code and message, never a credential.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { darajaPassword, darajaTimestamp } from '../../domain/darajaPassword.js';
import { DarajaError } from '../../domain/darajaError.js';
import { errorText } from '../../domain/errorText.js';
import type { DarajaAccount, DarajaGateway, QueryAnswer, StkPushRequest } from '../../modules/payments/ports.js';

export interface DarajaClientOptions {
  baseUrl: string;
  timeoutMs: number;
  now?: () => Date;
}

/** A token is dropped this long before Daraja says it expires, so none is used as it runs out. */
const EXPIRY_MARGIN_MS = 60_000;

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.string(), z.number()]).optional(),
});
const errorAnswer = z.object({
  requestId: z.string().optional(),
  errorCode: z.union([z.string(), z.number()]),
  errorMessage: z.string().optional(),
});
const pushAnswer = z.looseObject({
  MerchantRequestID: z.string().min(1),
  CheckoutRequestID: z.string().min(1),
  ResponseCode: z.union([z.string(), z.number()]),
  ResponseDescription: z.string().optional(),
});
const queryAnswer = z.looseObject({
  ResponseCode: z.union([z.string(), z.number()]).optional(),
  ResultCode: z.union([z.string(), z.number()]),
  ResultDesc: z.string().optional(),
});

export class DarajaClient implements DarajaGateway {
  // Keyed by tenant and a hash of its key and secret: new credentials get a new token at once.
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly now: () => Date;

  constructor(private readonly options: DarajaClientOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async stkPush(
    account: DarajaAccount,
    request: StkPushRequest,
  ): Promise<{ merchantRequestId: string; checkoutRequestId: string }> {
    const timestamp = darajaTimestamp(this.now());
    const body = await this.authorised(account, '/mpesa/stkpush/v1/processrequest', {
      BusinessShortCode: account.shortcode,
      Password: darajaPassword(account.shortcode, account.passkey, timestamp),
      Timestamp: timestamp,
      TransactionType: request.transactionType,
      Amount: request.amount,
      PartyA: request.phone,
      PartyB: request.partyB,
      PhoneNumber: request.phone,
      CallBackURL: request.callbackUrl,
      AccountReference: request.accountReference,
      TransactionDesc: request.transactionDesc,
    });
    const answer = pushAnswer.safeParse(body);
    if (!answer.success) throw new DarajaError('Daraja answered the STK push with an unexpected body', null, 200);
    if (String(answer.data.ResponseCode) !== '0') {
      throw new DarajaError(
        `Daraja did not accept the STK push: ${answer.data.ResponseDescription ?? `ResponseCode ${answer.data.ResponseCode}`}`,
        String(answer.data.ResponseCode),
        200,
      );
    }
    return { merchantRequestId: answer.data.MerchantRequestID, checkoutRequestId: answer.data.CheckoutRequestID };
  }

  async query(account: DarajaAccount, checkoutRequestId: string): Promise<QueryAnswer> {
    const timestamp = darajaTimestamp(this.now());
    try {
      const body = await this.authorised(account, '/mpesa/stkpushquery/v1/query', {
        BusinessShortCode: account.shortcode,
        Password: darajaPassword(account.shortcode, account.passkey, timestamp),
        Timestamp: timestamp,
        CheckoutRequestID: checkoutRequestId,
      });
      const answer = queryAnswer.safeParse(body);
      const code = answer.success ? Number(answer.data.ResultCode) : Number.NaN;
      if (!answer.success || !Number.isInteger(code))
        throw new DarajaError('Daraja answered the query with an unexpected body', null, 200);
      return { kind: 'result', resultCode: code, resultDesc: answer.data.ResultDesc ?? '' };
    } catch (err) {
      if (err instanceof DarajaError && err.stillProcessing) return { kind: 'pending', detail: err.message };
      throw err;
    }
  }

  /** POSTs with a bearer token; a token Daraja no longer takes is replaced once. */
  private async authorised(account: DarajaAccount, path: string, body: Record<string, unknown>): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.token(account);
      try {
        return await this.call(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch (err) {
        const expired = err instanceof DarajaError && (err.httpStatus === 401 || err.errorCode === '404.001.03');
        if (!expired || attempt >= 2) throw err;
        this.tokens.delete(this.tokenKey(account));
      }
    }
  }

  private async token(account: DarajaAccount): Promise<string> {
    const key = this.tokenKey(account);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now().getTime()) return cached.token;
    const basic = Buffer.from(`${account.consumerKey}:${account.consumerSecret}`, 'utf8').toString('base64');
    const body = await this.call('/oauth/v1/generate?grant_type=client_credentials', {
      method: 'GET',
      headers: { authorization: `Basic ${basic}` },
    });
    const answer = tokenAnswer.safeParse(body);
    if (!answer.success) throw new DarajaError('Daraja answered the token request with an unexpected body', null, 200);
    const seconds = Number(answer.data.expires_in ?? 3599);
    const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_599_000;
    // One entry per tenant: a token of its earlier credentials is dropped with them.
    for (const old of this.tokens.keys()) if (old.startsWith(`${account.tenantId}:`)) this.tokens.delete(old);
    this.tokens.set(key, {
      token: answer.data.access_token,
      expiresAt: this.now().getTime() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS),
    });
    return answer.data.access_token;
  }

  private tokenKey(account: DarajaAccount): string {
    const credentials = createHash('sha256')
      .update(`${account.consumerKey}\u0000${account.consumerSecret}`)
      .digest('hex');
    return `${account.tenantId}:${credentials}`;
  }

  /** One HTTP call: the parsed JSON of a 2xx answer, else a DarajaError with Daraja's error body. */
  private async call(path: string, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl}${path}`, {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new DarajaError(
        timedOut
          ? `Daraja did not answer within ${this.options.timeoutMs} ms`
          : `Daraja could not be reached: ${errorText(err)}`,
        null,
        null,
      );
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.ok && body !== null) return body;
    const error = errorAnswer.safeParse(body);
    if (error.success) {
      throw new DarajaError(
        `Daraja error ${error.data.errorCode}: ${error.data.errorMessage ?? 'no message'}`,
        String(error.data.errorCode),
        res.status,
      );
    }
    throw new DarajaError(`Daraja answered HTTP ${res.status}${res.ok ? ' without JSON' : ''}`, null, res.status);
  }
}
