// One message's turn: the claimed job, its tenant's context (with the settings read once when the
// context loaded) and one door to that tenant's data. Built once per message by the processor and
// handed to every step (controls → care → understanding → FAQ → AI → send), so no step looks the
// tenant up again, re-reads its settings or picks a store of its own.
import type { TenantSettings } from '../../domain/tenantSettings.js';
import type { ConversationStore } from './carePorts.js';
import type { TenantControlStore } from './controlPorts.js';
import type { NoticeStore } from './messageKindPorts.js';
import type { LogContext, ReplyJob, TenantReplyStore } from './ports.js';
import type { TenantContext } from './tenantContextCache.js';

/** Everything of one tenant the worker reads or writes; every method is scoped to that tenant. */
export interface TenantData {
  replies: TenantReplyStore;
  controls: TenantControlStore;
  conversations: ConversationStore;
  notices: NoticeStore;
}

export interface TenantDataDoors {
  forTenant(tenantId: string): TenantData;
}

export interface Turn {
  readonly job: ReplyJob;
  readonly tenant: TenantContext;
  /** The tenant's settings (tenant.settings), at hand. */
  readonly settings: TenantSettings;
  readonly data: TenantData;
  /** Put on every log line and adapter call about this message. */
  readonly log: LogContext;
}

export function turnOf(job: ReplyJob, tenant: TenantContext, data: TenantData): Turn {
  return {
    job,
    tenant,
    settings: tenant.settings,
    data,
    log: { tenantId: job.tenantId, messageId: job.whatsappMessageId },
  };
}

/** The same turn about a changed job (an order passed on shows its items where a text would be). */
export function withJob(turn: Turn, job: ReplyJob): Turn {
  return { ...turn, job };
}
