// Everything that must happen before Meta gets its 200: authenticate, parse, route, store.
// Answering happens later in the reply worker; this returns as soon as the rows are durable.
import type { TenantRoutingTable } from '../../domain/tenantRouting.js';
import type { Metrics } from '../operations/metrics.js';
import type { InboundRecord, InboundStore, TenantDirectory } from './ports.js';
import { parseWebhookPayload } from './webhookPayload.js';
import { isValidSignature } from './webhookSignature.js';

export interface IngestLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface IngestRequest {
  rawBody: Buffer;
  signature: string | undefined;
  fromLoopback: boolean;
}

export type IngestOutcome =
  | { kind: 'accepted'; messageIds: string[]; stored: number; statuses: number }
  | { kind: 'rejected'; httpStatus: 400 | 401; error: string; details: string };

export interface IngestServiceOptions {
  directory: TenantDirectory;
  store: InboundStore;
  globalAppSecret: string | null;
  /** Development only: accept unsigned webhooks from loopback when no secret is configured at all. */
  allowUnsignedFromLoopback: boolean;
  logger: IngestLogger;
  onStored: () => void;
  metrics?: Pick<Metrics, 'messagesIngested'>;
}

export class IngestService {
  constructor(private readonly options: IngestServiceOptions) {}

  async receive(request: IngestRequest): Promise<IngestOutcome> {
    const { directory, store, logger } = this.options;
    if (request.rawBody.length === 0) return invalid('Empty body');
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return invalid('Body is not valid JSON');
    }
    const parsed = parseWebhookPayload(body);
    if (!parsed.ok) return invalid(parsed.details);

    const { changes } = parsed.value;
    const routeAll = (table: TenantRoutingTable) => changes.map((c) => table.route(c.phoneNumberId, c.displayPhoneNumber));
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
          logger.warn({ tenantId: null, messageId, phoneNumberId: change.phoneNumberId }, `webhook change ${route.kind}: ${route.reason}`);
        }
        continue;
      }
      for (const message of change.messages) records.push({ tenantId: route.tenantId, message });
      if (change.statuses.length > 0) {
        statusBatches.set(route.tenantId, [...(statusBatches.get(route.tenantId) ?? []), ...change.statuses]);
      }
    }

    const tenantIds = [...new Set([...records.map((r) => r.tenantId), ...statusBatches.keys()])];
    if (!(await this.isAuthentic(request, tenantIds))) {
      return { kind: 'rejected', httpStatus: 401, error: 'Invalid signature', details: 'X-Hub-Signature-256 does not match the request body' };
    }
    for (const ignored of parsed.value.ignored) logger.info({ field: ignored.field }, `webhook item ignored: ${ignored.reason}`);

    await store.enqueue(records);
    this.options.metrics?.messagesIngested('stored', records.length);
    this.options.metrics?.messagesIngested('unrouted', notRouted.unrouted);
    this.options.metrics?.messagesIngested('refused', notRouted.refused);
    for (const { tenantId, message } of records) logger.debug({ tenantId, messageId: message.whatsappMessageId, type: message.type }, 'message stored');
    let statuses = 0;
    for (const [tenantId, batch] of statusBatches) statuses += await store.applyStatuses(tenantId, batch);
    if (records.length > 0) this.options.onStored();
    return { kind: 'accepted', messageIds: records.map((r) => r.message.whatsappMessageId), stored: records.length, statuses };
  }

  private async isAuthentic(request: IngestRequest, tenantIds: string[]): Promise<boolean> {
    const global = this.options.globalAppSecret;
    // The common case (one app for every tenant) needs no database read.
    if (global && isValidSignature(request.rawBody, request.signature, [global])) return true;
    // Otherwise every tenant the payload reaches must vouch for it with its own secret: one tenant's
    // secret never authenticates messages or statuses routed to another tenant.
    const secretsByTenant = await Promise.all(tenantIds.map((id) => this.options.directory.appSecretsOf([id])));
    if (!global && secretsByTenant.every((secrets) => secrets.length === 0)) return this.options.allowUnsignedFromLoopback && request.fromLoopback;
    return secretsByTenant.length > 0 && secretsByTenant.every((secrets) => isValidSignature(request.rawBody, request.signature, secrets));
  }
}

function invalid(details: string): IngestOutcome {
  return { kind: 'rejected', httpStatus: 400, error: 'Invalid message format', details };
}
