// One tenant's inbox: conversations, their messages, agents' sends and who has each conversation.
// Every statement filters by the tenant id given to the constructor; no method takes a tenant id.
import { sql } from 'drizzle-orm';
import type {
  AgentMessage,
  ConversationState,
  ConversationSummary,
  InboxMessage,
  TenantInboxStore,
} from '../../modules/inbox/inboxPorts.js';
import { SERVICE_WINDOW_MS } from '../../domain/serviceWindow.js';
import { queryRows, type AppDb } from './database.js';

type Stamp = Date | string;
const iso = (value: Stamp) => new Date(value).toISOString();
const isoOrNull = (value: Stamp | null) => (value === null ? null : iso(value));

interface MessageRow {
  id: string;
  user_phone: string;
  direction: string;
  message_text: string | null;
  message_type: string | null;
  status: string;
  whatsapp_message_id: string | null;
  source: string | null;
  agent: string | null;
  created_at: Stamp;
}

interface StateRow {
  user_phone: string;
  paused_until: Stamp | null;
  assigned_user_id: string | null;
}

const MESSAGE_COLUMNS = sql.raw(`id, user_phone, direction, message_text, message_type, status, whatsapp_message_id,
  metadata->>'reply_source' AS source, metadata->>'agent_user_id' AS agent, created_at`);

export class DbInboxStore implements TenantInboxStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async exists(): Promise<boolean> {
    const rows = await queryRows(this.db, sql`SELECT 1 FROM alphadome.bot_tenants WHERE id = ${this.tenantId}`);
    return rows.length > 0;
  }

  async conversations(limit: number): Promise<ConversationSummary[]> {
    const t = this.tenantId;
    const rows = await queryRows<
      StateRow & {
        last_at: Stamp;
        message_text: string | null;
        direction: string;
        last_in: Stamp | null;
        unread: number;
      }
    >(
      this.db,
      sql`
      WITH customers AS (
        SELECT user_phone, max(created_at) AS last_at FROM alphadome.bot_message_logs
        WHERE bot_tenant_id = ${t} AND created_at > now() - interval '30 days'
        GROUP BY user_phone ORDER BY last_at DESC LIMIT ${limit}
      )
      SELECT cu.user_phone, cu.last_at, lm.message_text, lm.direction, li.last_in, un.unread,
        CASE WHEN c.paused_until > now() THEN c.paused_until END AS paused_until, c.assigned_user_id
      FROM customers cu
      LEFT JOIN alphadome.conversations c ON c.bot_tenant_id = ${t} AND c.user_phone = cu.user_phone
      CROSS JOIN LATERAL (SELECT message_text, direction FROM alphadome.bot_message_logs m
        WHERE m.bot_tenant_id = ${t} AND m.user_phone = cu.user_phone ORDER BY m.created_at DESC, m.seq DESC LIMIT 1) lm
      CROSS JOIN LATERAL (SELECT max(created_at) AS last_in FROM alphadome.bot_message_logs m
        WHERE m.bot_tenant_id = ${t} AND m.user_phone = cu.user_phone AND m.direction = 'inbound') li
      CROSS JOIN LATERAL (SELECT max(created_at) AS last_out FROM alphadome.bot_message_logs m
        WHERE m.bot_tenant_id = ${t} AND m.user_phone = cu.user_phone AND m.direction = 'outbound') lo
      CROSS JOIN LATERAL (SELECT count(*)::int AS unread FROM alphadome.bot_message_logs m
        WHERE m.bot_tenant_id = ${t} AND m.user_phone = cu.user_phone AND m.direction = 'inbound'
          AND m.created_at > COALESCE(lo.last_out, '-infinity'::timestamptz)) un`,
    );
    return rows.map((row) => {
      const state = stateOf(row);
      const direction = row.direction === 'inbound' ? 'inbound' : 'outbound';
      return {
        ...state,
        last_message_at: iso(row.last_at),
        last_text: row.message_text,
        last_direction: direction,
        unread: Number(row.unread),
        window_ends_at:
          row.last_in === null ? null : new Date(new Date(row.last_in).getTime() + SERVICE_WINDOW_MS).toISOString(),
        waiting: state.handled_by === 'person' && direction === 'inbound',
      };
    });
  }

  async thread(userPhone: string, limit: number): Promise<InboxMessage[]> {
    const rows = await queryRows<MessageRow>(
      this.db,
      sql`
      SELECT ${MESSAGE_COLUMNS} FROM alphadome.bot_message_logs
      WHERE bot_tenant_id = ${this.tenantId} AND user_phone = ${userPhone}
      ORDER BY created_at DESC, seq DESC LIMIT ${limit}`,
    );
    return rows.reverse().map(messageOf);
  }

  async lastInboundAt(userPhone: string): Promise<Date | null> {
    const [row] = await queryRows<{ at: Stamp | null }>(
      this.db,
      sql`
      SELECT max(created_at) AS at FROM alphadome.bot_message_logs
      WHERE bot_tenant_id = ${this.tenantId} AND user_phone = ${userPhone} AND direction = 'inbound'`,
    );
    return row?.at ? new Date(row.at) : null;
  }

  async recordAgentMessage(message: AgentMessage, takeOverUntil: Date): Promise<InboxMessage> {
    const t = this.tenantId;
    const metadata = JSON.stringify({ reply_source: 'agent', agent_user_id: message.userId, actor: message.actor });
    return this.db.transaction(async (tx) => {
      const [row] = await queryRows<MessageRow>(
        tx,
        sql`
        INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, whatsapp_message_id, message_type,
          template_used, status, sent_at, status_updated_at, metadata)
        VALUES (${t}, ${message.userPhone}, 'outbound', ${message.text}, ${message.whatsappMessageId}, ${message.template ? 'template' : 'text'},
          ${message.template}, 'sent', now(), now(), ${metadata}::jsonb)
        RETURNING ${MESSAGE_COLUMNS}`,
      );
      if (!row) throw new Error('agent message insert returned no row');
      // The person who answered keeps the conversation: the bot stays quiet until it is resolved.
      await tx.execute(sql`
        INSERT INTO alphadome.conversations AS c (bot_tenant_id, user_phone, paused_until, pause_reason, assigned_user_id, updated_at)
        VALUES (${t}, ${message.userPhone}, ${takeOverUntil.toISOString()}::timestamptz, 'answered by a person', ${message.userId}, now())
        ON CONFLICT (bot_tenant_id, user_phone) DO UPDATE SET paused_until = EXCLUDED.paused_until, pause_reason = EXCLUDED.pause_reason,
          assigned_user_id = COALESCE(c.assigned_user_id, EXCLUDED.assigned_user_id), updated_at = now()`);
      await tx.execute(sql`
        INSERT INTO alphadome.audit_log (bot_tenant_id, actor, action, entity, entity_id, before, after)
        VALUES (${t}, ${message.actor}, 'create', 'agent_message', ${row.id}, NULL,
          jsonb_build_object('user_phone', ${message.userPhone}::text, 'whatsapp_message_id', ${message.whatsappMessageId}::text, 'template', ${message.template}::text))`);
      return messageOf(row);
    });
  }

  async resolve(userPhone: string, actor: string): Promise<ConversationState> {
    return this.db.transaction(async (tx) => {
      const [row] = await queryRows<StateRow>(
        tx,
        sql`
        INSERT INTO alphadome.conversations AS c (bot_tenant_id, user_phone, paused_until, pause_reason, updated_at)
        VALUES (${this.tenantId}, ${userPhone}, NULL, NULL, now())
        ON CONFLICT (bot_tenant_id, user_phone) DO UPDATE SET paused_until = NULL, pause_reason = NULL, updated_at = now()
        RETURNING user_phone, paused_until, assigned_user_id`,
      );
      await this.audit(tx, actor, 'update', 'handoff_resolved', userPhone, {});
      return stateOf(row ?? { user_phone: userPhone, paused_until: null, assigned_user_id: null });
    });
  }

  async assign(userPhone: string, userId: string | null, actor: string): Promise<ConversationState | 'no_such_user'> {
    return this.db.transaction(async (tx) => {
      if (userId !== null) {
        const mine = await queryRows(
          tx,
          sql`SELECT 1 FROM alphadome.team_users WHERE id = ${userId} AND bot_tenant_id = ${this.tenantId}`,
        );
        if (mine.length === 0) return 'no_such_user' as const;
      }
      const [row] = await queryRows<StateRow>(
        tx,
        sql`
        INSERT INTO alphadome.conversations AS c (bot_tenant_id, user_phone, assigned_user_id, updated_at)
        VALUES (${this.tenantId}, ${userPhone}, ${userId}, now())
        ON CONFLICT (bot_tenant_id, user_phone) DO UPDATE SET assigned_user_id = EXCLUDED.assigned_user_id, updated_at = now()
        RETURNING user_phone, CASE WHEN paused_until > now() THEN paused_until END AS paused_until, assigned_user_id`,
      );
      await this.audit(tx, actor, 'update', 'handoff_assigned', userPhone, { assigned_user_id: userId });
      return stateOf(row ?? { user_phone: userPhone, paused_until: null, assigned_user_id: userId });
    });
  }

  async businessAccountId(): Promise<string | null> {
    const [row] = await queryRows<{ waba: string | null }>(
      this.db,
      sql`SELECT whatsapp_business_account_id AS waba FROM alphadome.bot_tenants WHERE id = ${this.tenantId}`,
    );
    return row?.waba ?? null;
  }

  async changesSince(
    since: Date,
  ): Promise<{ now: Date; messages: InboxMessage[]; conversations: ConversationState[] }> {
    const t = this.tenantId;
    const at = since.toISOString();
    // Statuses change on rows of the last days only; bounding created_at keeps this on the tenant-time index.
    const messages = await queryRows<MessageRow>(
      this.db,
      sql`
      SELECT ${MESSAGE_COLUMNS} FROM alphadome.bot_message_logs
      WHERE bot_tenant_id = ${t} AND created_at > now() - interval '3 days'
        AND (created_at > ${at}::timestamptz OR status_updated_at > ${at}::timestamptz)
      ORDER BY created_at, seq LIMIT 500`,
    );
    const states = await queryRows<StateRow>(
      this.db,
      sql`
      SELECT user_phone, CASE WHEN paused_until > now() THEN paused_until END AS paused_until, assigned_user_id
      FROM alphadome.conversations WHERE bot_tenant_id = ${t} AND updated_at > ${at}::timestamptz`,
    );
    const [clock] = await queryRows<{ now: Stamp }>(this.db, sql`SELECT now() AS now`);
    return {
      now: new Date(clock?.now ?? Date.now()),
      messages: messages.map(messageOf),
      conversations: states.map(stateOf),
    };
  }

  private async audit(
    tx: AppDb,
    actor: string,
    action: string,
    entity: string,
    userPhone: string,
    after: Record<string, unknown>,
  ): Promise<void> {
    await tx.execute(sql`
      INSERT INTO alphadome.audit_log (bot_tenant_id, actor, action, entity, entity_id, before, after)
      VALUES (${this.tenantId}, ${actor}, ${action}, ${entity}, ${userPhone}, NULL, ${JSON.stringify(after)}::jsonb)`);
  }
}

function stateOf(row: StateRow): ConversationState {
  return {
    user_phone: row.user_phone,
    handled_by: row.paused_until !== null && new Date(row.paused_until).getTime() > Date.now() ? 'person' : 'bot',
    paused_until: isoOrNull(row.paused_until),
    assigned_user_id: row.assigned_user_id,
  };
}

function messageOf(row: MessageRow): InboxMessage {
  const direction = row.direction === 'inbound' ? 'inbound' : 'outbound';
  return {
    id: row.id,
    user_phone: row.user_phone,
    direction,
    text: row.message_text,
    message_type: row.message_type,
    status: row.status,
    whatsapp_message_id: row.whatsapp_message_id,
    sent_by: direction === 'inbound' ? 'customer' : row.source === 'agent' ? 'agent' : 'bot',
    agent_user_id: row.agent,
    created_at: iso(row.created_at),
  };
}
