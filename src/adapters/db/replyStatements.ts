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

// $1 tenant, $2 inbound id, $3 final status, $4 note (skip reason or error), $5 erase bodies,
// $6 erase errors, $7 index of the part just sent (or null), $8 its WhatsApp message id.
// One round trip: the last part marked sent (unless a status webhook got there first), the
// tenant's log policy applied to the message and its outbound rows, and the final state; bodies
// are erased in the same statement that finishes the message, so no finished message holds them.
export const COMPLETE_INBOUND: PreparedStatement = {
  name: 'alphadome_complete_inbound_v1',
  text: `
  WITH outbound AS (
    UPDATE alphadome.bot_message_logs o
    SET status = CASE WHEN o.part_index = $7::int AND o.status = 'sending' THEN 'sent' ELSE o.status END,
        whatsapp_message_id = CASE WHEN o.part_index = $7::int AND o.status = 'sending' THEN $8::varchar ELSE o.whatsapp_message_id END,
        sent_at = CASE WHEN o.part_index = $7::int AND o.status = 'sending' THEN now() ELSE o.sent_at END,
        status_updated_at = CASE WHEN o.part_index = $7::int AND o.status = 'sending' THEN now() ELSE o.status_updated_at END,
        message_text = CASE WHEN $5::boolean THEN NULL ELSE o.message_text END,
        ai_response = CASE WHEN $5::boolean THEN NULL ELSE o.ai_response END,
        metadata = CASE WHEN $5::boolean THEN o.metadata - 'whatsapp' ELSE o.metadata END,
        error_message = CASE WHEN $6::boolean THEN NULL ELSE o.error_message END
    WHERE o.bot_tenant_id = $1::uuid AND o.direction = 'outbound' AND o.reply_to_log_id = $2::uuid
      AND ($5::boolean OR $6::boolean OR (o.part_index = $7::int AND o.status = 'sending'))
    RETURNING 1
  )
  UPDATE alphadome.bot_message_logs m
  SET status = $3::varchar, lease_expires_at = NULL, status_updated_at = now(),
      error_message = CASE WHEN $6::boolean THEN NULL WHEN $3::varchar = 'failed' THEN $4::text ELSE m.error_message END,
      message_text = CASE WHEN $5::boolean THEN NULL ELSE m.message_text END,
      ai_response = CASE WHEN $5::boolean THEN NULL ELSE m.ai_response END,
      metadata = (CASE WHEN $5::boolean THEN m.metadata - 'whatsapp' ELSE m.metadata END)
        || CASE WHEN $3::varchar = 'skipped' AND $4::text IS NOT NULL THEN jsonb_build_object('skip_reason', $4::text) ELSE '{}'::jsonb END
  WHERE m.bot_tenant_id = $1::uuid AND m.id = $2::uuid`,
};
