// What the inbox routes are given by the composition root.
import type { TemplateSender } from '../replies/carePorts.js';
import type { WhatsAppCredentials, WhatsAppSender } from '../replies/ports.js';
import type { InboxEvents } from './inboxEvents.js';
import type { TemplateLister, TenantInboxStore } from './inboxPorts.js';

export interface InboxOptions {
  stores: { forTenant(tenantId: string): TenantInboxStore };
  credentials(tenantId: string): Promise<WhatsAppCredentials | null>;
  sender: WhatsAppSender & TemplateSender;
  templates: TemplateLister;
  events: InboxEvents;
  /** Tells every process's feed (NOTIFY on PostgreSQL) that this tenant's inbox changed. */
  announce(tenantId: string): void;
}
