// One tenant's message log (bot_message_logs) for the admin API: newest first, filtered and
// paginated. Every statement is filtered by the tenant id given to the constructor.
import { and, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { MessageLogQuery, MessageLogStore, MessageLogView, Page } from '../../modules/tenants/ports.js';
import type { AppDb } from './database.js';
import { botMessageLogs } from './schema.js';
import { selectPage } from './selectPage.js';
import { tenantExists } from './tenantLock.js';

type MessageLogRow = typeof botMessageLogs.$inferSelect;

export class DbMessageLogStore implements MessageLogStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async list(query: MessageLogQuery): Promise<Page<MessageLogView> | null> {
    const filter = and(eq(botMessageLogs.botTenantId, this.tenantId), ...filters(query));
    // seq breaks ties between rows written in one transaction (same created_at).
    const order = [desc(botMessageLogs.createdAt), desc(botMessageLogs.seq)];
    const page = await selectPage(this.db, botMessageLogs, filter, order, query, messageLogView);
    if (page.data.length === 0 && !(await tenantExists(this.db, this.tenantId))) return null;
    return page;
  }
}

function filters(query: MessageLogQuery): (SQL | undefined)[] {
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return [
    pattern ? or(ilike(botMessageLogs.messageText, pattern), ilike(botMessageLogs.aiResponse, pattern)) : undefined,
    query.user_phone ? eq(botMessageLogs.userPhone, query.user_phone) : undefined,
    query.direction ? eq(botMessageLogs.direction, query.direction) : undefined,
    query.message_type ? eq(botMessageLogs.messageType, query.message_type) : undefined,
    query.status ? eq(botMessageLogs.status, query.status) : undefined,
    query.from ? gte(botMessageLogs.createdAt, query.from) : undefined,
    query.to ? lt(botMessageLogs.createdAt, query.to) : undefined,
  ];
}

export function messageLogView(row: MessageLogRow): MessageLogView {
  return {
    id: row.id,
    user_phone: row.userPhone,
    user_id: row.userId,
    direction: row.direction,
    message_text: row.messageText,
    whatsapp_message_id: row.whatsappMessageId,
    message_type: row.messageType,
    ai_processed: row.aiProcessed,
    ai_response: row.aiResponse,
    ai_model_used: row.aiModelUsed,
    error_message: row.errorMessage,
    template_used: row.templateUsed,
    training_data_id: row.trainingDataId,
    metadata: row.metadata,
    status: row.status,
    reply_to_log_id: row.replyToLogId,
    created_at: row.createdAt.toISOString(),
    status_updated_at: row.statusUpdatedAt?.toISOString() ?? null,
  };
}
