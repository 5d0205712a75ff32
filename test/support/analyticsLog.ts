// A message log written with SQL, row by row as the worker, the status webhooks and the escalator
// write it, so an analytics test knows every true figure. Times are UTC.
import { lit } from './seed.js';
import type { TestApp } from './testApp.js';

export interface SeedPart {
  /** Written this long after the inbound message (default 500 ms). */
  writtenAfterMs?: number;
  /** Accepted by Meta this long after the inbound message; absent = never sent. */
  sentAfterMs?: number;
  status: 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
  error?: string;
}

export interface SeedInbound {
  at: string;
  customer: string;
  text?: string;
  status: 'pending' | 'answered' | 'skipped' | 'failed';
  source?: 'faq' | 'ai' | 'fallback' | 'handoff' | 'notice';
  skipReason?: string;
  /** provider:model of an AI answer. */
  model?: string;
  usage?: [prompt: number, completion: number];
  failures?: [provider: string, model: string][];
  aiResponse?: string;
  error?: string;
  parts?: SeedPart[];
}

// A pending row stays pending: the app's worker would otherwise claim it and change the figures.
const NEVER = '2999-01-01T00:00:00Z';
const plus = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();
const nullable = (value: string | undefined) => (value === undefined ? 'NULL' : lit(value));

export async function seedLog(t: TestApp, tenantId: string, messages: SeedInbound[]): Promise<void> {
  let n = 0;
  for (const m of messages) {
    n += 1;
    const metadata = {
      ...(m.source ? { reply_source: m.source } : {}),
      ...(m.skipReason ? { skip_reason: m.skipReason } : {}),
      ...(m.usage ? { ai_usage: { prompt_tokens: m.usage[0], completion_tokens: m.usage[1] } } : {}),
      ...(m.failures ? { ai_failures: m.failures.map(([provider, model]) => ({ provider, model })) } : {}),
    };
    const [row] = await t.rows<{ id: string }>(`
      INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, whatsapp_message_id, message_type,
        ai_processed, ai_response, ai_model_used, error_message, metadata, created_at, status, next_attempt_at)
      VALUES (${lit(tenantId)}, ${lit(m.customer)}, 'inbound', ${nullable(m.text)}, ${lit(`wamid.seed-${tenantId.slice(0, 8)}-${n}`)}, 'text',
        ${m.source === 'ai'}, ${nullable(m.aiResponse)}, ${nullable(m.model)}, ${nullable(m.error)}, ${lit(JSON.stringify(metadata))}::jsonb,
        ${lit(m.at)}::timestamptz, ${lit(m.status)}, ${lit(NEVER)}::timestamptz)
      RETURNING id`);
    for (const [index, part] of (m.parts ?? []).entries()) {
      await t.rows(`
        INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, message_type, ai_processed,
          ai_model_used, status, reply_to_log_id, part_index, error_message, metadata, created_at, sent_at)
        VALUES (${lit(tenantId)}, ${lit(m.customer)}, 'outbound', 'a reply', 'text', ${m.source === 'ai'}, ${nullable(m.model)},
          ${lit(part.status)}, ${lit(row!.id)}, ${index}, ${nullable(part.error)},
          ${lit(JSON.stringify({ reply_source: m.source ?? 'notice' }))}::jsonb, ${lit(plus(m.at, part.writtenAfterMs ?? 500))}::timestamptz,
          ${part.sentAfterMs === undefined ? 'NULL' : `${lit(plus(m.at, part.sentAfterMs))}::timestamptz`})`);
    }
  }
}

/** An escalation as the escalator records it when a person was told. */
export async function seedEscalation(
  t: TestApp,
  tenantId: string,
  customer: string,
  at: string,
  reason: string,
): Promise<void> {
  await t.rows(`
    INSERT INTO alphadome.audit_log (bot_tenant_id, actor, action, entity, entity_id, after, created_at)
    VALUES (${lit(tenantId)}, 'bot', 'escalate', 'handoff', ${lit(customer)},
      jsonb_build_object('paused_until', ${lit(plus(at, 86_400_000))}, 'reason', ${lit(reason)}), ${lit(at)}::timestamptz)`);
}
