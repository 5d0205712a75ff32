// The reply worker's two statements on every answer's path, each written for a group of messages
// (decisionWriter.ts and completionWriter.ts run them), as prepared statements. Every row names its
// tenant, and each statement matches every row on its own tenant id.
import type { PreparedStatement } from './preparedStatements.js';

// Arrays, one element per message decided: $1 tenant, $2 inbound id, $3 reply text, $4 ai
// processed, $5 model, $6 training row, $7 template, $8 error, $9 decision metadata (JSON text),
// $10 customer, $11 part 0 text, $12 part 0 metadata (JSON text). Each row is matched on its own
// tenant and id. One round trip for a whole group of messages instead of two for each: every
// decision and its part 0 (as `sending`) together; RETURNING pairs each part with its message.
export const SAVE_DECISIONS_WITH_FIRST_PART: PreparedStatement = {
  name: 'alphadome_save_decisions_v2',
  text: `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[], $5::varchar[], $6::uuid[], $7::varchar[],
                         $8::text[], $9::text[], $10::varchar[], $11::text[], $12::text[])
      AS i(tenant_id, inbound_id, reply, ai_processed, model, training_id, template, error, meta, customer, part_text, part_meta)
  ),
  decided AS (
    UPDATE alphadome.bot_message_logs m
    SET ai_response = i.reply, ai_processed = i.ai_processed, ai_model_used = i.model,
        training_data_id = i.training_id, template_used = i.template, error_message = i.error,
        metadata = m.metadata || i.meta::jsonb
    FROM input i
    WHERE m.bot_tenant_id = i.tenant_id AND m.id = i.inbound_id
    RETURNING m.id, m.bot_tenant_id
  )
  INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, message_type, ai_processed,
    ai_response, ai_model_used, template_used, training_data_id, status, reply_to_log_id, part_index, status_updated_at, metadata)
  SELECT i.tenant_id, i.customer, 'outbound', i.part_text, 'text', i.ai_processed,
    i.reply, i.model, i.template, i.training_id, 'sending', d.id, 0, now(), i.part_meta::jsonb
  FROM input i JOIN decided d ON d.id = i.inbound_id AND d.bot_tenant_id = i.tenant_id
  ON CONFLICT (reply_to_log_id, part_index) WHERE direction = 'outbound'
  DO UPDATE SET status = 'sending', error_message = NULL, status_updated_at = now()
  RETURNING id, reply_to_log_id`,
};

// Arrays, one element per message finished: $1 tenant, $2 inbound id, $3 final status, $4 note
// (skip reason or error), $5 erase bodies, $6 erase errors, $7 index of the part just sent (or
// null), $8 its WhatsApp message id. Each row is matched on its own tenant and id.
// One round trip for a whole group of messages: each one's last part marked sent (unless a status
// webhook got there first), the tenant's log policy applied to the message and its outbound rows,
// and the final state; bodies are erased by the statement that finishes the message, so no
// finished message holds them.
export const COMPLETE_INBOUND: PreparedStatement = {
  name: 'alphadome_complete_inbound_v2',
  text: `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::text[], $5::boolean[], $6::boolean[], $7::int[], $8::varchar[])
      AS i(tenant_id, inbound_id, status, note, erase_bodies, erase_errors, part_index, wamid)
  ),
  outbound AS (
    UPDATE alphadome.bot_message_logs o
    SET status = CASE WHEN o.part_index = i.part_index AND o.status = 'sending' THEN 'sent' ELSE o.status END,
        whatsapp_message_id = CASE WHEN o.part_index = i.part_index AND o.status = 'sending' THEN i.wamid ELSE o.whatsapp_message_id END,
        sent_at = CASE WHEN o.part_index = i.part_index AND o.status = 'sending' THEN now() ELSE o.sent_at END,
        status_updated_at = CASE WHEN o.part_index = i.part_index AND o.status = 'sending' THEN now() ELSE o.status_updated_at END,
        message_text = CASE WHEN i.erase_bodies THEN NULL ELSE o.message_text END,
        ai_response = CASE WHEN i.erase_bodies THEN NULL ELSE o.ai_response END,
        metadata = CASE WHEN i.erase_bodies THEN o.metadata - 'whatsapp' ELSE o.metadata END,
        error_message = CASE WHEN i.erase_errors THEN NULL ELSE o.error_message END
    FROM input i
    WHERE o.bot_tenant_id = i.tenant_id AND o.direction = 'outbound' AND o.reply_to_log_id = i.inbound_id
      AND (i.erase_bodies OR i.erase_errors OR (o.part_index = i.part_index AND o.status = 'sending'))
    RETURNING 1
  )
  UPDATE alphadome.bot_message_logs m
  SET status = i.status, lease_expires_at = NULL, status_updated_at = now(),
      error_message = CASE WHEN i.erase_errors THEN NULL WHEN i.status = 'failed' THEN i.note ELSE m.error_message END,
      message_text = CASE WHEN i.erase_bodies THEN NULL ELSE m.message_text END,
      ai_response = CASE WHEN i.erase_bodies THEN NULL ELSE m.ai_response END,
      metadata = (CASE WHEN i.erase_bodies THEN m.metadata - 'whatsapp' ELSE m.metadata END)
        || CASE WHEN i.status = 'skipped' AND i.note IS NOT NULL THEN jsonb_build_object('skip_reason', i.note) ELSE '{}'::jsonb END
  FROM input i
  WHERE m.bot_tenant_id = i.tenant_id AND m.id = i.inbound_id`,
};
