// What the dashboard's inbox needs: one tenant's conversations and their messages, the agent's
// sends, who has each conversation, the live feed and the tenant's approved WhatsApp templates.
import type { WhatsAppCredentials } from '../replies/ports.js';

export interface ConversationState {
  user_phone: string;
  /** person: the bot stays quiet until the conversation is resolved (or the pause runs out). */
  handled_by: 'bot' | 'person';
  paused_until: string | null;
  assigned_user_id: string | null;
}

export interface ConversationSummary extends ConversationState {
  last_message_at: string;
  last_text: string | null;
  last_direction: 'inbound' | 'outbound';
  /** Customer messages since the business last wrote. */
  unread: number;
  /** When free-form text stops being deliverable (24 hours after the customer last wrote); null: never wrote. */
  window_ends_at: string | null;
  /** A person has it and the customer wrote last: somebody must answer. */
  waiting: boolean;
}

export interface InboxMessage {
  id: string;
  user_phone: string;
  direction: 'inbound' | 'outbound';
  text: string | null;
  message_type: string | null;
  status: string;
  whatsapp_message_id: string | null;
  /** customer, bot, or agent (a person answering from the dashboard or the API). */
  sent_by: 'customer' | 'bot' | 'agent';
  agent_user_id: string | null;
  created_at: string;
}

export interface AgentMessage {
  userPhone: string;
  text: string;
  template: string | null;
  whatsappMessageId: string;
  /** The team member who answered; null when a machine (API key) or the administrator did. */
  userId: string | null;
  actor: string;
}

/** One tenant's inbox; every statement filters by the tenant id the store was made for. */
export interface TenantInboxStore {
  exists(): Promise<boolean>;
  conversations(limit: number): Promise<ConversationSummary[]>;
  thread(userPhone: string, limit: number): Promise<InboxMessage[]>;
  lastInboundAt(userPhone: string): Promise<Date | null>;
  /** Logs the sent message and takes the conversation over from the bot, in one transaction. */
  recordAgentMessage(message: AgentMessage, takeOverUntil: Date): Promise<InboxMessage>;
  resolve(userPhone: string, actor: string): Promise<ConversationState>;
  /** 'no_such_user': userId is not one of this tenant's people. */
  assign(userPhone: string, userId: string | null, actor: string): Promise<ConversationState | 'no_such_user'>;
  /** The tenant's WhatsApp Business Account id, for its message templates. */
  businessAccountId(): Promise<string | null>;
  /** Messages created or whose status changed, and conversations changed, after `since` (database clock). */
  changesSince(since: Date): Promise<{ now: Date; messages: InboxMessage[]; conversations: ConversationState[] }>;
}

export interface WhatsAppTemplate {
  name: string;
  language: string;
  category: string | null;
  /** The body's text with its {{1}} placeholders, to show what the parameters fill in. */
  body: string | null;
  parameter_count: number;
}

export interface TemplateLister {
  approvedTemplates(credentials: WhatsAppCredentials, businessAccountId: string): Promise<WhatsAppTemplate[]>;
}
