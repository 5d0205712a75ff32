// The reply worker's two statements on every answer's path (tenantReplyStore.ts runs them), as
// prepared statements. Each filters by the tenant id it is given ($1).
import type { PreparedStatement } from './preparedStatements.js';

// $1 tenant, $2 inbound id, $3 reply text, $4 ai processed, $5 model, $6 training row, $7 template,
// $8 error, $9 decision metadata, $10 customer, $11 part 0 text, $12 part 0 metadata.
// One round trip instead of two: the decision and part 0 (as `sending`) together.
export const SAVE_DECISION_WITH_FIRST_PART: PreparedStatement = {
  name: 'alphadome_save_decision_v1',
  text: `
  WITH decided AS (
    UPDATE alphadome.bot_message_logs
    SET ai_response = $3::text, ai_processed = $4::boolean, ai_model_used = $5::varchar,
        training_data_id = $6::uuid, template_used = $7::varchar, error_message = $8::text,
        metadata = metadata || $9::jsonb
    WHERE bot_tenant_id = $1::uuid AND id = $2::uuid
    RETURNING id
  )
  INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, message_type, ai_processed,
    ai_response, ai_model_used, template_used, training_data_id, status, reply_to_log_id, part_index, status_updated_at, metadata)
  SELECT $1::uuid, $10::varchar, 'outbound', $11::text, 'text', $4::boolean,
    $3::text, $5::varchar, $7::varchar, $6::uuid, 'sending', decided.id, 0, now(), $12::jsonb
  FROM decided
  ON CONFLICT (reply_to_log_id, part_index) WHERE direction = 'outbound'
  DO UPDATE SET status = 'sending', error_message = NULL, status_updated_at = now()
  RETURNING id`,
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
