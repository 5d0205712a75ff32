// A stand-in for Safaricom's Daraja on a loopback port: OAuth client-credentials tokens, the STK
// push and its query, checked the way Daraja checks them (Basic credentials, bearer token, the
// Password built from shortcode + passkey + timestamp). It records every request, sends (and
// replays) result callbacks when told, can lose them (the query then knows the result), and fails
// on demand with Daraja's error bodies.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DarajaApp {
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  passkey: string;
}

export interface RecordedDarajaRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: any;
}

export interface StkPush {
  checkoutRequestId: string;
  merchantRequestId: string;
  shortcode: string;
  amount: number;
  phone: string;
  partyB: string;
  transactionType: string;
  callbackUrl: string;
  accountReference: string;
  transactionDesc: string;
}

export interface CallbackOptions {
  resultCode?: number;
  resultDesc?: string;
  receipt?: string;
  /** The amount the callback claims (default: the push's). */
  amount?: number;
  /** The CheckoutRequestID the callback names (default: the push's). */
  checkoutRequestId?: string;
  /** Where it goes (default: the push's CallBackURL). */
  url?: string;
}

export class FakeDaraja {
  readonly requests: RecordedDarajaRequest[] = [];
  readonly pushes: StkPush[] = [];
  /** Results the query answers with, by CheckoutRequestID; absent: "still being processed". */
  readonly queryResults = new Map<string, { resultCode: number; resultDesc: string }>();
  /** Every callback sent: [url, raw body], for replays. */
  readonly callbacksSent: { url: string; body: string; status: number }[] = [];
  tokenLifetimeS = 3599;
  /** CallBackURLs start with the app's PUBLIC_BASE_URL; callbacks go to `to` instead (the app on loopback). */
  rewriteCallbacks: { from: string; to: string } | null = null;
  private readonly apps = new Map<string, DarajaApp>();
  private readonly tokens = new Map<string, DarajaApp>();
  private readonly failures: { path: RegExp; status: number; body: unknown }[] = [];
  private server: Server | null = null;
  port = 0;

  addApp(app: DarajaApp): void {
    this.apps.set(app.consumerKey, app);
  }

  /** The next `count` requests whose path matches get this answer (Daraja's error bodies). */
  failNext(count: number, path: RegExp, status: number, body: unknown): void {
    for (let i = 0; i < count; i += 1) this.failures.push({ path, status, body });
  }

  tokenRequests(): RecordedDarajaRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/oauth/'));
  }

  /** Listens on `port` (0: any; give the old one to come back after `stop`, as Daraja after an outage). */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Posts the result callback of a push, as Daraja does, and resolves with the app's HTTP status. */
  async sendCallback(push: StkPush, options: CallbackOptions = {}): Promise<number> {
    const resultCode = options.resultCode ?? 0;
    const stkCallback: Record<string, unknown> = {
      MerchantRequestID: push.merchantRequestId,
      CheckoutRequestID: options.checkoutRequestId ?? push.checkoutRequestId,
      ResultCode: resultCode,
      ResultDesc:
        options.resultDesc ??
        (resultCode === 0 ? 'The service request is processed successfully.' : 'Request cancelled by user'),
    };
    if (resultCode === 0) {
      stkCallback['CallbackMetadata'] = {
        Item: [
          { Name: 'Amount', Value: options.amount ?? push.amount },
          {
            Name: 'MpesaReceiptNumber',
            Value: options.receipt ?? `TK${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
          },
          { Name: 'Balance' },
          { Name: 'TransactionDate', Value: 20261204153012 },
          { Name: 'PhoneNumber', Value: Number(push.phone) },
        ],
      };
    }
    return this.post(options.url ?? this.reachable(push.callbackUrl), JSON.stringify({ Body: { stkCallback } }));
  }

  reachable(callbackUrl: string): string {
    const rewrite = this.rewriteCallbacks;
    return rewrite && callbackUrl.startsWith(rewrite.from)
      ? `${rewrite.to}${callbackUrl.slice(rewrite.from.length)}`
      : callbackUrl;
  }

  /** Sends a callback body again, byte for byte. */
  replay(sent: { url: string; body: string }): Promise<number> {
    return this.post(sent.url, sent.body);
  }

  async post(url: string, body: string, contentType = 'application/json'): Promise<number> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    await res.text();
    this.callbacksSent.push({ url, body, status: res.status });
    return res.status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const path = req.url ?? '/';
    this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization ?? null, body });
    const send = (status: number, answer: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    };
    const failure = this.failures.findIndex((f) => f.path.test(path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return send(f!.status, f!.body);
    }
    const error = (status: number, errorCode: string, errorMessage: string) =>
      send(status, { requestId: randomUUID(), errorCode, errorMessage });

    if (req.method === 'GET' && path === '/oauth/v1/generate?grant_type=client_credentials') {
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [key, secret] = Buffer.from(basic ?? '', 'base64')
        .toString('utf8')
        .split(':');
      const app = key ? this.apps.get(key) : undefined;
      if (!app || app.consumerSecret !== secret) return error(400, '400.008.01', 'Invalid Authentication passed');
      const token = randomUUID().replace(/-/g, '');
      this.tokens.set(token, app);
      return send(200, { access_token: token, expires_in: String(this.tokenLifetimeS) });
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const app = bearer ? this.tokens.get(bearer) : undefined;
    if (!app) return error(401, '404.001.03', 'Invalid Access Token');
    if (req.method !== 'POST' || typeof body !== 'object' || body === null)
      return error(400, '400.002.05', 'Invalid Request Payload');
    const expected = Buffer.from(`${app.shortcode}${app.passkey}${body.Timestamp}`).toString('base64');
    if (
      String(body.BusinessShortCode) !== app.shortcode ||
      body.Password !== expected ||
      !/^\d{14}$/.test(String(body.Timestamp))
    ) {
      return error(400, '400.002.02', 'Bad Request - Invalid Password');
    }
    if (path === '/mpesa/stkpush/v1/processrequest') {
      if (!Number.isInteger(body.Amount) || body.Amount < 1)
        return error(400, '400.002.02', 'Bad Request - Invalid Amount');
      if (String(body.AccountReference).length > 12 || String(body.TransactionDesc).length > 13)
        return error(400, '400.002.02', 'Bad Request - Invalid AccountReference');
      const push: StkPush = {
        checkoutRequestId: `ws_CO_${Date.now()}${Math.floor(Math.random() * 1e6)}`,
        merchantRequestId: `${Math.floor(Math.random() * 1e5)}-${Math.floor(Math.random() * 1e8)}-1`,
        shortcode: app.shortcode,
        amount: body.Amount,
        phone: String(body.PhoneNumber),
        partyB: String(body.PartyB),
        transactionType: String(body.TransactionType),
        callbackUrl: String(body.CallBackURL),
        accountReference: String(body.AccountReference),
        transactionDesc: String(body.TransactionDesc),
      };
      this.pushes.push(push);
      return send(200, {
        MerchantRequestID: push.merchantRequestId,
        CheckoutRequestID: push.checkoutRequestId,
        ResponseCode: '0',
        ResponseDescription: 'Success. Request accepted for processing',
        CustomerMessage: 'Success. Request accepted for processing',
      });
    }
    if (path === '/mpesa/stkpushquery/v1/query') {
      const push = this.pushes.find(
        (p) => p.checkoutRequestId === body.CheckoutRequestID && p.shortcode === app.shortcode,
      );
      if (!push) return error(400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID');
      const result = this.queryResults.get(push.checkoutRequestId);
      if (!result) return error(500, '500.001.1001', 'The transaction is being processed');
      return send(200, {
        ResponseCode: '0',
        ResponseDescription: 'The service request has been accepted successsfully',
        MerchantRequestID: push.merchantRequestId,
        CheckoutRequestID: push.checkoutRequestId,
        ResultCode: String(result.resultCode),
        ResultDesc: result.resultDesc,
      });
    }
    return error(404, '404.001.01', 'Resource not found');
  }
}
