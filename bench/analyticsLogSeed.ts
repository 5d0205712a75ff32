// Writes a large message log for one tenant with generate_series, in the database itself: inbound
// rows spread evenly over the last year (half FAQ, 30% AI, 10% apologies, 5% rate-limited, 5%
// failed) with the metadata the worker writes, and one outbound part per answered message (2% failed
// with Meta error codes). Questions come from 200 common wordings plus a long tail of unique ones.
import type pg from 'pg';

const ITEMS = [
  'violin',
  'guitar',
  'ukulele',
  'drum kit',
  'piano',
  'keyboard',
  'cello',
  'flute',
  'saxophone',
  'trumpet',
  'bass guitar',
  'amplifier',
  'microphone',
  'harmonica',
  'banjo',
  'mandolin',
  'clarinet',
  'trombone',
  'xylophone',
  'accordion',
  'djembe',
  'cajon',
  'oboe',
  'tuba',
  'viola',
  'harp',
  'sitar',
  'tabla',
  'synthesizer',
  'metronome',
  'guitar strings',
  'drum sticks',
  'music stand',
  'capo',
  'tuner',
  'pedal',
  'cymbal',
  'snare drum',
  'recorder',
  'melodica',
  'marimba',
  'bongo',
  'conga',
  'kalimba',
  'lyre',
  'bagpipes',
  'didgeridoo',
  'ocarina',
  'tambourine',
  'triangle',
];
const FORMS = ['Do you sell a ', 'do u have a ', 'How much is a ', 'Can you repair my '];
const ERRORS = [
  '131047: Re-engagement message: More than 24 hours have passed since the customer last replied',
  '131026: Message undeliverable: The recipient cannot receive this message',
  'Graph API 400 error: 131030: Recipient phone number not in allowed list: add it first',
];
const MODELS = [
  'openai:gpt-4o-mini',
  'openrouter:mistralai/mistral-large',
  'huggingface:meta-llama/Llama-3.1-8B-Instruct',
];

const array = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/** Inbound rows first, then the parts that answer them; returns the rows written. */
export async function seedAnalyticsLog(
  client: pg.Client,
  tenantId: string,
  inbound: number,
  tag: string,
): Promise<number> {
  const inserted = await client.query(
    `INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, whatsapp_message_id, message_type,
       ai_processed, ai_response, ai_model_used, error_message, metadata, created_at, status, next_attempt_at, attempts)
     SELECT $1::uuid, '2547' || lpad((g % 20000)::text, 8, '0'), 'inbound',
       CASE WHEN g % 10 = 0 THEN 'Is order ' || g || ' ready?'
            ELSE (${array(FORMS)})[1 + g % 4] || (${array(ITEMS)})[1 + (g / 4) % 50] || '?' END,
       'wamid.bench-' || $3 || '-' || g, 'text',
       k.kind = 'ai', CASE WHEN k.kind = 'ai' THEN 'We have that in stock, come and try it.' END,
       CASE WHEN k.kind = 'ai' THEN (${array(MODELS)})[1 + g % 3] END,
       CASE WHEN k.kind = 'failed' THEN 'Graph API 500 error' END,
       CASE k.kind
         WHEN 'ai' THEN jsonb_build_object('reply_source', 'ai', 'ai_usage', jsonb_build_object('prompt_tokens', 300 + g % 200, 'completion_tokens', 40 + g % 60))
           || CASE WHEN g % 10 = 1 THEN jsonb_build_object('ai_failures', jsonb_build_array(jsonb_build_object('provider', 'openai', 'model', 'gpt-4o-mini'))) ELSE '{}'::jsonb END
         WHEN 'fallback' THEN jsonb_build_object('reply_source', 'fallback', 'ai_failures', jsonb_build_array(jsonb_build_object('provider', 'openai', 'model', 'gpt-4o-mini')))
         WHEN 'limited' THEN jsonb_build_object('skip_reason', 'rate_limited:user_day')
         WHEN 'failed' THEN '{}'::jsonb
         ELSE jsonb_build_object('reply_source', 'faq') END,
       now() - (g::double precision / $2::int) * interval '365 days',
       CASE k.kind WHEN 'limited' THEN 'skipped' WHEN 'failed' THEN 'failed' ELSE 'answered' END,
       now(), 1
     FROM generate_series(1, $2::int) AS g
       CROSS JOIN LATERAL (SELECT CASE WHEN g % 100 < 50 THEN 'faq' WHEN g % 100 < 80 THEN 'ai' WHEN g % 100 < 90 THEN 'fallback'
                                       WHEN g % 100 < 95 THEN 'limited' ELSE 'failed' END AS kind) AS k`,
    [tenantId, inbound, tag],
  );
  const parts = await client.query(
    `INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, whatsapp_message_id, message_type,
       ai_processed, ai_model_used, status, reply_to_log_id, part_index, error_message, metadata, created_at, sent_at, status_updated_at, next_attempt_at)
     SELECT bot_tenant_id, user_phone, 'outbound', 'A reply', 'wamid.out-' || $2 || '-' || seq, 'text', ai_processed, ai_model_used,
       CASE WHEN seq % 50 = 0 THEN 'failed' ELSE 'delivered' END, id, 0,
       CASE WHEN seq % 50 = 0 THEN (${array(ERRORS)})[1 + (seq / 50) % 3] END,
       jsonb_build_object('reply_source', metadata ->> 'reply_source', 'in_reply_to', whatsapp_message_id),
       created_at + interval '300 milliseconds', created_at + (400 + seq % 2500) * interval '1 millisecond',
       created_at + interval '5 seconds', now()
     FROM alphadome.bot_message_logs
     WHERE bot_tenant_id = $1 AND direction = 'inbound' AND status = 'answered'`,
    [tenantId, tag],
  );
  return (inserted.rowCount ?? 0) + (parts.rowCount ?? 0);
}
