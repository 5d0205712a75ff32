-- One ALTER TABLE: adding the four stored generated columns rewrites (and so backfills) the table once.
ALTER TABLE "alphadome"."bot_message_logs"
  ADD COLUMN "reply_source" text GENERATED ALWAYS AS (metadata ->> 'reply_source') STORED,
  ADD COLUMN "rate_limited" boolean GENERATED ALWAYS AS ((metadata ->> 'skip_reason') LIKE 'rate\_limited:%') STORED,
  ADD COLUMN "ai_usage" jsonb GENERATED ALWAYS AS (metadata -> 'ai_usage') STORED,
  ADD COLUMN "ai_failures" jsonb GENERATED ALWAYS AS (metadata -> 'ai_failures') STORED;--> statement-breakpoint
CREATE INDEX "bot_message_logs_inbound_figures_idx" ON "alphadome"."bot_message_logs" USING btree ("bot_tenant_id","created_at","id","user_phone","status","reply_source","ai_processed","rate_limited","ai_model_used","ai_usage","ai_failures") WHERE "alphadome"."bot_message_logs"."direction" = 'inbound';--> statement-breakpoint
CREATE INDEX "bot_message_logs_outbound_figures_idx" ON "alphadome"."bot_message_logs" USING btree ("bot_tenant_id","created_at","status") WHERE "alphadome"."bot_message_logs"."direction" = 'outbound';
