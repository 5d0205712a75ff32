// What the admin API needs to manage one tenant's content: templates, training rows, control
// settings and message logs. Each store is built for one tenant (its constructor takes the
// tenant id) and no method takes a tenant id.
import type { Page, PageRequest } from './paging.js';
import type { MpesaSettings, MpesaSettingsFields } from '../payments/paymentSettings.js';

export interface TemplateView {
  id: string;
  template_name: string;
  system_prompt: string | null;
  conversation_context: Record<string, unknown>;
  tone: string | null;
  max_response_length: number | null;
  is_active: boolean;
  is_default: boolean;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface TemplateFields {
  template_name?: string;
  system_prompt?: string | null;
  conversation_context?: Record<string, unknown>;
  tone?: string | null;
  max_response_length?: number | null;
  is_active?: boolean;
  is_default?: boolean;
  metadata?: Record<string, unknown>;
}

export interface NewTemplate extends TemplateFields {
  template_name: string;
}

/** Among a tenant's active templates exactly one is the default; inactive ones never are. */
export interface TemplateStore {
  /** Null when the tenant does not exist. */
  list(): Promise<TemplateView[] | null>;
  get(templateId: string): Promise<TemplateView | null>;
  /** Throws AdminApiError 404 when the tenant is gone. */
  create(input: NewTemplate, actor: string): Promise<TemplateView>;
  /** Null when the template is not this tenant's; AdminApiError 409 when the change would leave no default. */
  update(templateId: string, fields: TemplateFields, actor: string): Promise<TemplateView | null>;
  delete(templateId: string, actor: string): Promise<boolean>;
}

export const TRAINING_DATA_TYPES = ['faq', 'example', 'rule'] as const;
export type TrainingDataType = (typeof TRAINING_DATA_TYPES)[number];

export interface TrainingRowView {
  id: string;
  data_type: string;
  question: string | null;
  answer: string | null;
  category: string | null;
  priority: number;
  confidence_score: number;
  is_active: boolean;
  /** Alternative wordings of the question (an FAQ answers each of them). */
  variants: string[];
  created_at: string;
  updated_at: string;
}

export interface TrainingFields {
  data_type?: TrainingDataType;
  question?: string;
  answer?: string;
  category?: string | null;
  priority?: number;
  confidence_score?: number;
  is_active?: boolean;
  variants?: string[];
}

export interface NewTrainingRow extends TrainingFields {
  question: string;
  answer: string;
}

export interface TrainingListQuery extends PageRequest {
  data_type: TrainingDataType | null;
  category: string | null;
  is_active: boolean | null;
  /** Part of the question or answer, case-insensitive. */
  q: string | null;
}

export interface ImportRowError {
  /** 1-based position among the imported rows (a CSV's header is not counted). */
  row: number;
  field: string | null;
  message: string;
}

export interface ImportResult {
  imported: number;
  /** Rows the import replaced (mode "replace"); 0 when appending or when nothing was written. */
  replaced: number;
  errors: ImportRowError[];
}

export interface ImportOptions {
  mode: 'append' | 'replace';
  /** Write the valid rows even when some are bad; otherwise any bad row means nothing is written. */
  partial: boolean;
}

export interface TrainingStore {
  /** Null when the tenant does not exist. */
  list(query: TrainingListQuery): Promise<Page<TrainingRowView> | null>;
  get(rowId: string): Promise<TrainingRowView | null>;
  /** Throws AdminApiError 404 when the tenant is gone. */
  create(input: NewTrainingRow, actor: string): Promise<TrainingRowView>;
  update(rowId: string, fields: TrainingFields, actor: string): Promise<TrainingRowView | null>;
  delete(rowId: string, actor: string): Promise<boolean>;
  /** Adds wordings to the row's variants (those it has already are skipped); null when the row is not this
   *  tenant's; AdminApiError 400 when the row would hold more than MAX_VARIANTS. */
  addVariants(rowId: string, variants: readonly string[], actor: string): Promise<TrainingRowView | null>;
  /** Validates every row first (rows are untrusted input); writes all-or-nothing unless `partial`. */
  importRows(rows: readonly unknown[], options: ImportOptions, actor: string): Promise<ImportResult>;
  /** Every row in a stable order (oldest first, an import's rows in the file's order); null when the tenant does not exist. */
  exportAll(): Promise<TrainingRowView[] | null>;
}

export interface SettingsView extends MpesaSettings {
  id: string;
  is_bot_enabled: boolean;
  max_messages_per_hour: number;
  max_messages_per_user_per_day: number;
  enable_ai_responses: boolean;
  enable_payment_flow: boolean;
  enable_training_mode: boolean;
  enable_auto_reply: boolean;
  log_conversations: boolean;
  log_errors: boolean;
  read_receipts: boolean;
  typing_indicator: boolean;
  escalation_phone: string | null;
  escalation_email: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface SettingsFields extends MpesaSettingsFields {
  is_bot_enabled?: boolean;
  max_messages_per_hour?: number;
  max_messages_per_user_per_day?: number;
  enable_ai_responses?: boolean;
  enable_payment_flow?: boolean;
  enable_training_mode?: boolean;
  enable_auto_reply?: boolean;
  log_conversations?: boolean;
  log_errors?: boolean;
  /** Kept in metadata under the same name (the spec's table has no such column). */
  read_receipts?: boolean;
  typing_indicator?: boolean;
  escalation_phone?: string | null;
  escalation_email?: string | null;
  /** Merged into the stored metadata: a key set to null is removed. */
  metadata?: Record<string, unknown>;
}

export interface SettingsStore {
  /** The tenant's settings, created with the defaults when missing; null when the tenant is gone. */
  get(): Promise<SettingsView | null>;
  update(fields: SettingsFields, actor: string): Promise<SettingsView | null>;
}

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;

export interface MessageLogView {
  id: string;
  user_phone: string;
  user_id: string | null;
  direction: string;
  message_text: string | null;
  whatsapp_message_id: string | null;
  message_type: string | null;
  ai_processed: boolean;
  ai_response: string | null;
  ai_model_used: string | null;
  error_message: string | null;
  template_used: string | null;
  training_data_id: string | null;
  metadata: Record<string, unknown>;
  status: string;
  reply_to_log_id: string | null;
  created_at: string;
  status_updated_at: string | null;
}

export interface MessageLogQuery extends PageRequest {
  user_phone: string | null;
  direction: (typeof MESSAGE_DIRECTIONS)[number] | null;
  /** Inclusive lower bound of created_at. */
  from: Date | null;
  /** Exclusive upper bound of created_at. */
  to: Date | null;
  message_type: string | null;
  status: string | null;
  /** Part of the message text (or of the AI's answer), case-insensitive; absent or null: no text filter. */
  q?: string | null;
}

export interface MessageLogStore {
  /** Newest first; null when the tenant does not exist. */
  list(query: MessageLogQuery): Promise<Page<MessageLogView> | null>;
}

/** The door to one tenant's content stores (wired in app.ts). */
export interface TenantContentStores {
  templates(tenantId: string): TemplateStore;
  training(tenantId: string): TrainingStore;
  settings(tenantId: string): SettingsStore;
  messages(tenantId: string): MessageLogStore;
}
