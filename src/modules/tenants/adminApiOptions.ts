// What the admin API's plugins are given: the stores and settings the composition root wires in.
// Apart from adminApi.ts so each route plugin can name it without importing the plugin list that
// imports the route plugins.
import type { AuthFailureThrottle } from '../../http/authFailureThrottle.js';
import type { AnalyticsQueries } from '../analytics/ports.js';
import type { AuthFailureMetrics } from './adminAuth.js';
import type { CustomerCareAccess } from './customerCarePorts.js';
import type { ApiKeyAccess, AuditLogAccess, TenantCatalog, TenantContentStores } from './ports.js';
import type { PlatformLimits } from './tenantKeyRules.js';
import type { SessionDirectory, TeamAccess } from '../team/teamPorts.js';
import type { InboxOptions } from '../inbox/inboxOptions.js';
import type { PaymentService } from '../payments/paymentService.js';

export interface AdminApiOptions {
  catalog: TenantCatalog;
  apiKeys: ApiKeyAccess;
  auditLog: AuditLogAccess;
  /** Templates, training rows, settings and message logs, one tenant at a time. */
  content: TenantContentStores;
  /** Handoffs and answer ratings, one tenant at a time. */
  customerCare: CustomerCareAccess;
  /** Per-tenant figures and questions to teach. */
  analytics: AnalyticsQueries;
  /** ADMIN_API_TOKEN; null turns administrator access off. */
  adminToken: string | null;
  /** Failed authentications per client address, and where they are counted. */
  authFailures: { throttle: AuthFailureThrottle; metrics: AuthFailureMetrics };
  /** PLATFORM_MAX_*: the most a tenant key may set its own limits to. */
  platformLimits: PlatformLimits;
  /** Models the server's own AI keys pay for (AI_SERVER_ALLOWED_MODELS and the server's defaults). */
  serverAllowedModels: ReadonlySet<string>;
  reencryptAllSecrets: () => Promise<{ rewritten: number; unreadable?: number }>;
  /** Team accounts and dashboard sessions; secureCookies is false only in development. */
  team: { users: TeamAccess; sessions: SessionDirectory; publicBaseUrl: string | null; secureCookies: boolean };
  /** Conversations answered by people, the live event stream and the WhatsApp templates. */
  inbox: InboxOptions;
  /** M-Pesa payments (STK push), one tenant at a time. */
  payments: PaymentService;
}
