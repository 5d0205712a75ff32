// Everything that must happen before Meta gets its 200: authenticate, parse, route, store.
// Answering happens later in the reply worker; this returns as soon as the rows are durable.
import type { TenantRoutingTable } from '../../domain/tenantRouting.js';
import type { AuthFailureThrottle } from '../../http/authFailureThrottle.js';
import type { Metrics } from '../operations/metrics.js';
import type { InboundRecord, InboundStore, TenantDirectory } from './ports.js';
import { WebhookAuthenticator, type Admission, type SignatureFailure } from './webhookAuthenticator.js';
import { countWebhookItems, nestsDeeperThan, WEBHOOK_MAX_DEPTH } from './webhookLimits.js';
import { parseWebhookPayload } from './webhookPayload.js';

export interface IngestLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface IngestRequest {
  rawBody: Buffer;
  signature: string | undefined;
  /** The client's address (request.ip: X-Forwarded-For only from a trusted proxy), the throttle's key. */
  clientAddress: string;
}

export type IngestRejection = {
  kind: 'rejected';
  httpStatus: 400 | 401 | 413 | 429;
  error: string;
  details: string;
  /** With 429: seconds until the address may try again (the Retry-After header). */
  retryAfterSeconds?: number;
};

export type IngestOutcome =
  | { kind: 'accepted'; messageIds: string[]; stored: number; statuses: number }
  | IngestRejection;

export interface IngestServiceOptions {
  directory: TenantDirectory;
  store: InboundStore;
  globalAppSecret: string | null;
  /** ALLOW_UNSIGNED_WEBHOOKS=true (development only): requests without a signature are taken. */
  allowUnsigned: boolean;
  /** Entries, changes, messages and statuses one body may hold (WEBHOOK_MAX_ITEMS). */
  maxItems: number;
  logger: IngestLogger;
  onStored: () => void;
  /** Tenants whose messages or delivery statuses this delivery wrote (the live inbox looks at once). */
  onChanged?: (tenantIds: string[]) => void;
  /** Failed signatures per client address (WEBHOOK_SIGNATURE_FAILURE_BURST per AUTH_FAILURE_WINDOW_S). */
  signatureThrottle: AuthFailureThrottle;
  metrics?: Pick<Metrics, 'messagesIngested' | 'webhookSignatureFailed'>;
}

const INVALID_SIGNATURE: IngestRejection = {
  kind: 'rejected',
  httpStatus: 401,
  error: 'Invalid signature',
  details: 'X-Hub-Signature-256 is missing or does not match the request body',
};

export class IngestService {
  private readonly authenticator: WebhookAuthenticator;

  constructor(private readonly options: IngestServiceOptions) {
    this.authenticator = new WebhookAuthenticator(options);
  }

  /**
   * The first check, over the raw bytes only: an answer that is not an Admission is the 401 (or
   * 429) to send. An address whose signatures keep failing only gets the global secret's one HMAC:
   * a forgery costs one HMAC per distinct tenant secret, so unthrottled it would buy seconds of CPU
   * a go. Anything that fails while throttled is answered 429 (Meta retries it later).
   */
  async admit(request: IngestRequest): Promise<Admission | IngestRejection> {
    const { signatureThrottle, metrics } = this.options;
    const address = request.clientAddress;
    const wait = signatureThrottle.retryAfterSeconds(address);
    const result = await this.authenticator.admit(request.rawBody, request.signature, wait === null);
    if (result.ok) return result.admission;
    if (wait !== null) {
      metrics?.webhookSignatureFailed('throttled');
      return {
        kind: 'rejected',
        httpStatus: 429,
        error: 'Too many requests',
        details: `Too many failed webhook signatures from this address; try again in ${wait} s`,
        retryAfterSeconds: wait,
      };
    }
    this.signatureFailed(address, result.failure);
    return INVALID_SIGNATURE;
  }

  /** Parses, routes and stores an admitted request (see admit). */
  async receive(request: IngestRequest, admission: Admission): Promise<IngestOutcome> {
    const { directory, store, logger, maxItems } = this.options;
    if (request.rawBody.length === 0) return invalid('Empty body');
    // Checked before JSON.parse: a parse (or any walk of its result) of deep nesting can overflow the stack.
    if (nestsDeeperThan(request.rawBody, WEBHOOK_MAX_DEPTH))
      return invalid(`JSON nested deeper than ${WEBHOOK_MAX_DEPTH} levels`);
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return invalid('Body is not valid JSON');
    }
    // Refused whole, so nothing is half-stored: Meta sends a handful of items per delivery.
    const items = countWebhookItems(body);
    if (items > maxItems) {
      return {
        kind: 'rejected',
        httpStatus: 413,
        error: 'Payload too large',
        details: `${items} entries, changes, messages and statuses in one body; at most ${maxItems}`,
      };
    }
    const parsed = parseWebhookPayload(body);
    if (!parsed.ok) return invalid(parsed.details);

    const { changes } = parsed.value;
    const routeAll = (table: TenantRoutingTable) =>
      changes.map((c) => table.route(c.phoneNumberId, c.displayPhoneNumber));
    let routes = routeAll(await directory.routingTable());
    // A number the cached table does not know may belong to a tenant created a moment ago whose
    // change notification has not arrived yet: look again, in a table loaded after this message
    // arrived, before falling back to the default (which would hand it to another business).
    if (routes.some((r) => r.kind === 'unrouted' || (r.kind === 'routed' && r.via === 'default'))) {
      routes = routeAll(await directory.routingTable({ fresh: true }));
    }
    const records: InboundRecord[] = [];
    const statusBatches = new Map<string, (typeof changes)[number]['statuses']>();
    const notRouted = { unrouted: 0, refused: 0 };
    for (const [index, change] of changes.entries()) {
      const route = routes[index];
      if (!route) continue;
      if (route.kind !== 'routed') {
        notRouted[route.kind] += change.messages.length;
        // One line per message (tenantId null: it has none), one for a change that carries only statuses.
        const messageIds = change.messages.length > 0 ? change.messages.map((m) => m.whatsappMessageId) : [null];
        for (const messageId of messageIds) {
          logger.warn(
            { tenantId: null, messageId, phoneNumberId: change.phoneNumberId },
            `webhook change ${route.kind}: ${route.reason}`,
          );
        }
        continue;
      }
      for (const message of change.messages) records.push({ tenantId: route.tenantId, message });
      if (change.statuses.length > 0) {
        statusBatches.set(route.tenantId, [...(statusBatches.get(route.tenantId) ?? []), ...change.statuses]);
      }
    }

    const tenantIds = [...new Set([...records.map((r) => r.tenantId), ...statusBatches.keys()])];
    if (!(await this.authenticator.vouches(admission, request.rawBody, request.signature, tenantIds)))
      return INVALID_SIGNATURE;
    for (const ignored of parsed.value.ignored)
      logger.info({ field: ignored.field }, `webhook item ignored: ${ignored.reason}`);

    await store.enqueue(records);
    this.options.metrics?.messagesIngested('stored', records.length);
    this.options.metrics?.messagesIngested('unrouted', notRouted.unrouted);
    this.options.metrics?.messagesIngested('refused', notRouted.refused);
    for (const { tenantId, message } of records)
      logger.debug({ tenantId, messageId: message.whatsappMessageId, type: message.type }, 'message stored');
    let statuses = 0;
    for (const [tenantId, batch] of statusBatches) statuses += await store.applyStatuses(tenantId, batch);
    if (records.length > 0) this.options.onStored();
    if (records.length > 0 || statuses > 0) this.options.onChanged?.(tenantIds);
    return {
      kind: 'accepted',
      messageIds: records.map((r) => r.message.whatsappMessageId),
      stored: records.length,
      statuses,
    };
  }

  /** Counts, logs (the address and why: never the header or the body) and throttles one failure. */
  private signatureFailed(address: string, failure: SignatureFailure): void {
    const { signatureThrottle, logger, metrics } = this.options;
    metrics?.webhookSignatureFailed(failure);
    const usedUp = signatureThrottle.recordFailure(address);
    logger.warn({ address, reason: failure }, 'webhook signature failed');
    if (usedUp)
      logger.warn(
        { address },
        'webhook: too many failed signatures from this address; refusing it until its window ends',
      );
  }
}

function invalid(details: string): IngestOutcome {
  return { kind: 'rejected', httpStatus: 400, error: 'Invalid message format', details };
}
