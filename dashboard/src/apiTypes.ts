// The admin API's answers, as the server declares them: the dashboard type-checks against the
// server's own views, so a changed field breaks the build instead of the page.
export type { Page, TenantView, TenantCredentialsView, MaskedSecret } from '../../src/modules/tenants/ports.js';
export type {
  TemplateView,
  TrainingRowView,
  SettingsView,
  MessageLogView,
  ImportResult,
  ImportRowError,
} from '../../src/modules/tenants/contentPorts.js';
export type { HandoffView } from '../../src/modules/tenants/customerCarePorts.js';
export type {
  AnalyticsReport,
  DailyFigures,
  QuestionToTeach,
  QuestionsToTeachReport,
} from '../../src/modules/analytics/analyticsReport.js';
export type { PaymentView } from '../../src/modules/payments/ports.js';

/** GET /api/v1/me */
export type MeView =
  | { role: 'admin' }
  | {
      role: 'tenant';
      tenant_id: string;
      tenant_name: string;
      /** The most a tenant key may set its own limits to. */
      platform_limits: { max_messages_per_hour: number; max_messages_per_user_per_day: number };
      /** The signed-in person (email and password); absent for an API key. */
      user?: { id: string; email: string; name: string; role: 'owner' | 'agent' };
    };
export type {
  ConversationSummary,
  ConversationState,
  InboxMessage,
  WhatsAppTemplate,
} from '../../src/modules/inbox/inboxPorts.js';
export type { TeamUserView } from '../../src/modules/team/teamPorts.js';
export type InvitedUser = import('../../src/modules/team/teamPorts.js').TeamUserView & {
  setup_token: string;
  setup_url: string | null;
};
