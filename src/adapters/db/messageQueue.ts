// The queue is the inbound rows of bot_message_logs (ARCHITECTURE.md "The path of a message"). By nature it spans
// tenants: ingest writes rows already routed to their tenant, and workers claim any tenant's work.
import { sql } from 'drizzle-orm';
import type { InboundRecord, InboundStore } from '../../modules/ingest/ports.js';
import type { DeliveryStatusUpdate } from '../../domain/inboundMessage.js';
import {
  REPLY_SOURCES,
  type ClaimOptions,
  type DecidedReply,
  type ReplyJob,
  type ReplyQueue,
} from '../../modules/replies/ports.js';
import type { AppDb } from './database.js';
import { preparedRows, type PreparedStatement } from './preparedStatements.js';
import { botMessageLogs } from './schema.js';
import { TenantDeliveryStatuses } from './tenantDeliveryStatuses.js';
import { GroupCommit } from './groupCommit.js';

interface ClaimedRow {
  id: string;
  bot_tenant_id: string;
  user_phone: string;
  whatsapp_message_id: string;
  message_type: string | null;
  message_text: string | null;
  attempts: number;
  created_at: string | Date;
  ai_response: string | null;
  ai_model_used: string | null;
  training_data_id: string | null;
  template_used: string | null;
  reply_source: string | null;
  whatsapp: unknown;
  stranded: boolean;
  spent: boolean;
}

export interface MessageQueueOptions {
  db: AppDb;
  /** Connections of their own for webhook writes, so a busy worker cannot delay Meta's 200. */
  ingestDb: AppDb;
  /** How many batched ingest writes may run at once (1 on PGlite, which runs one at a time). */
  parallelIngestWrites: number;
  /** Tells other processes that work arrived (PostgreSQL NOTIFY); null when there are none. */
  announceWork: (() => Promise<void>) | null;
}

// $1 busy, $2 limit, $3 max attempts, $4 lease (ms).
const CLAIM: PreparedStatement = {
  name: 'alphadome_claim_v1',
  text: `
  WITH heads AS (
    SELECT DISTINCT ON (bot_tenant_id, user_phone) id, status, next_attempt_at, lease_expires_at, seq
    FROM alphadome.bot_message_logs
    WHERE direction = 'inbound' AND status IN ('pending', 'processing')
    ORDER BY bot_tenant_id, user_phone, seq
  ),
  stranded AS (
    SELECT id FROM heads WHERE status = 'processing' AND lease_expires_at < now()
    ORDER BY seq
    LIMIT 1
  ),
  due AS (
    SELECT id FROM stranded WHERE NOT $1::boolean
    UNION ALL
    SELECT id FROM (
      SELECT id FROM heads WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at, seq
      LIMIT $2::int
    ) fresh
    WHERE NOT EXISTS (SELECT 1 FROM stranded)
  ),
  locked AS (
    SELECT m.id, m.status = 'processing' AS stranded, (m.status = 'processing' AND m.attempts >= $3::int) AS spent
    FROM alphadome.bot_message_logs m
    WHERE m.id IN (SELECT id FROM due) AND m.direction = 'inbound'
      AND ((m.status = 'pending' AND m.next_attempt_at <= now())
           OR (m.status = 'processing' AND m.lease_expires_at < now()))
    FOR UPDATE SKIP LOCKED
  )
  UPDATE alphadome.bot_message_logs u
  SET status = 'processing', attempts = CASE WHEN c.spent THEN u.attempts ELSE u.attempts + 1 END, status_updated_at = now(),
      lease_expires_at = now() + ($4::int * interval '1 millisecond')
  FROM locked c WHERE u.id = c.id
  RETURNING u.id, u.bot_tenant_id, u.user_phone, u.whatsapp_message_id, u.message_type, u.message_text,
            u.attempts, u.created_at, u.ai_response, u.ai_model_used, u.training_data_id, u.template_used,
            u.metadata->>'reply_source' AS reply_source, u.metadata->'whatsapp' AS whatsapp, c.stranded, c.spent`,
};

/** At most one cross-process wake-up per this many ms: workers claim everything due anyway. */
const ANNOUNCE_INTERVAL_MS = 5;

export class DbMessageQueue implements InboundStore, ReplyQueue {
  private readonly db: AppDb;
  private readonly writer: GroupCommit<InboundRecord>;
  private announcing = false;

  constructor(private readonly options: MessageQueueOptions) {
    this.db = options.db;
    this.writer = new GroupCommit<InboundRecord>((records) => this.insert(records), options.parallelIngestWrites);
  }

  async enqueue(records: InboundRecord[]): Promise<void> {
    await this.writer.enqueue(records);
    this.announce();
  }

  private announce(): void {
    const announce = this.options.announceWork;
    if (!announce || this.announcing) return;
    this.announcing = true;
    setTimeout(() => {
      announce()
        .catch(() => undefined)
        .finally(() => {
          this.announcing = false;
        });
    }, ANNOUNCE_INTERVAL_MS).unref();
  }

  private async insert(records: InboundRecord[]): Promise<void> {
    await this.options.ingestDb
      .insert(botMessageLogs)
      .values(
        records.map(({ tenantId, message }) => ({
          botTenantId: tenantId,
          userPhone: message.from,
          direction: 'inbound',
          messageText: message.text,
          whatsappMessageId: message.whatsappMessageId,
          messageType: message.type,
          status: 'pending',
          metadata: {
            contact_name: message.contactName,
            context_message_id: message.contextMessageId,
            sent_at: message.sentAt?.toISOString() ?? null,
            whatsapp: message.raw,
          },
        })),
      )
      .onConflictDoNothing();
  }

  applyStatuses(tenantId: string, statuses: DeliveryStatusUpdate[]): Promise<number> {
    return new TenantDeliveryStatuses(this.options.ingestDb, tenantId).apply(statuses);
  }

  async claim(limit: number, { leaseMs, maxAttempts, busy }: ClaimOptions): Promise<ReplyJob[]> {
    // Only the oldest open message of each conversation (its "head") is claimable: this keeps
    // each conversation in order. Heads come from one ordered scan of the open-conversation
    // index, whatever the table statistics say; the locking step re-checks the status, so a
    // head another worker claimed meanwhile is skipped, never claimed twice.
    // Every claim is an attempt, counted here: a process that dies mid-message never reaches its
    // catch. A stranded head (its lease ran out: the process died or the attempt overran) is
    // claimed alone, by an idle worker, and nothing else while any waits: if it is what kills the
    // process, it takes no other message's attempt with it. One whose last allowed attempt ran out
    // is claimed without a new attempt and comes back spent, to be failed instead of processed.
    const rows = await preparedRows<ClaimedRow>(this.db, CLAIM, [busy, limit, maxAttempts, leaseMs]);
    return rows.map(toJob);
  }

  async releaseAllClaims(): Promise<void> {
    await this.db.execute(sql`
      UPDATE alphadome.bot_message_logs SET lease_expires_at = now() - interval '1 second'
      WHERE direction = 'inbound' AND status = 'processing'`);
  }

  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(sql`
      UPDATE alphadome.bot_message_logs
      SET status = 'pending', lease_expires_at = NULL, attempts = GREATEST(attempts - 1, 0), status_updated_at = now()
      WHERE id IN (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) AND status = 'processing'`);
  }
}

const KNOWN_SOURCES = new Set<string>(REPLY_SOURCES);

function toJob(row: ClaimedRow): ReplyJob {
  const source = row.reply_source;
  return {
    id: row.id,
    tenantId: row.bot_tenant_id,
    userPhone: row.user_phone,
    whatsappMessageId: row.whatsapp_message_id,
    messageType: row.message_type ?? 'unknown',
    text: row.message_text,
    whatsapp:
      row.whatsapp !== null && typeof row.whatsapp === 'object' ? (row.whatsapp as Record<string, unknown>) : {},
    attempts: Number(row.attempts),
    stranded: row.stranded === true,
    attemptsSpent: row.spent === true,
    receivedAt: new Date(row.created_at),
    decided:
      row.ai_response !== null && KNOWN_SOURCES.has(source ?? '')
        ? {
            text: row.ai_response,
            source: source as DecidedReply['source'],
            trainingDataId: row.training_data_id,
            aiModelUsed: row.ai_model_used,
            templateUsed: row.template_used,
            error: null,
          }
        : null,
  };
}
