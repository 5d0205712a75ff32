// What the handoff and rating endpoints need from storage; every store is built for one tenant.
import type { Page, PageRequest } from './ports.js';

export interface HandoffView {
  user_phone: string;
  paused_until: string;
  pause_reason: string | null;
  last_escalated_at: string | null;
}

export interface RatingSummary {
  by_faq: { training_data_id: string; question: string | null; up: number; down: number }[];
  by_model: { ai_model_used: string; up: number; down: number }[];
}

export interface CustomerCareStore {
  /** Conversations paused for a person now, soonest resuming first; null when the tenant does not exist. */
  handoffs(page: PageRequest): Promise<Page<HandoffView> | null>;
  /** Lifts the pause (audited when there was one); false when the tenant does not exist. */
  resume(userPhone: string, actor: string): Promise<{ resumed: boolean } | null>;
  /** Null when the tenant does not exist. */
  ratings(): Promise<RatingSummary | null>;
}

export interface CustomerCareAccess {
  forTenant(tenantId: string): CustomerCareStore;
}
