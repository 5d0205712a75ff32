// What ingest needs from storage; adapters/db implements it.
import type { DeliveryStatusUpdate, InboundMessage } from '../../domain/inboundMessage.js';
import type { TenantRoutingTable } from '../../domain/tenantRouting.js';

/** Cross-tenant lookups made before we know whose message this is (ARCHITECTURE.md "Where a tenant is enforced": one named place). */
export interface TenantDirectory {
  /** The cached routing table; with `fresh`, one loaded after the call (sees every committed tenant). */
  routingTable(options?: { fresh?: boolean }): Promise<TenantRoutingTable>;
  /** App secrets of these tenants (tenants with their own Meta app). */
  appSecretsOf(tenantIds: string[]): Promise<string[]>;
  /** Every tenant's own app secret, distinct, as cached with the routing table (no read per call). */
  knownAppSecrets(): Promise<ReadonlySet<string>>;
  /** The tenant whose webhook_verify_token this is, marked verified; null when none. */
  verifyByToken(token: string): Promise<string | null>;
}

export interface InboundRecord {
  tenantId: string;
  message: InboundMessage;
}

export interface InboundStore {
  /** Stores every message once (idempotent on the WhatsApp message id); resolves when durable. */
  enqueue(records: InboundRecord[]): Promise<void>;
  /** Applies delivery statuses to this tenant's outbound rows; returns how many rows changed. */
  applyStatuses(tenantId: string, statuses: DeliveryStatusUpdate[]): Promise<number>;
}
