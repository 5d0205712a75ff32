CREATE SCHEMA "alphadome";
--> statement-breakpoint
CREATE TABLE "alphadome"."bot_control_settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"is_bot_enabled" boolean DEFAULT true NOT NULL,
	"max_messages_per_hour" integer DEFAULT 100 NOT NULL,
	"max_messages_per_user_per_day" integer DEFAULT 50 NOT NULL,
	"enable_ai_responses" boolean DEFAULT true NOT NULL,
	"enable_payment_flow" boolean DEFAULT false NOT NULL,
	"enable_training_mode" boolean DEFAULT false NOT NULL,
	"enable_auto_reply" boolean DEFAULT true NOT NULL,
	"log_conversations" boolean DEFAULT true NOT NULL,
	"log_errors" boolean DEFAULT true NOT NULL,
	"escalation_phone" varchar(32),
	"escalation_email" varchar(320),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_control_settings_bot_tenant_id_unique" UNIQUE("bot_tenant_id")
);
--> statement-breakpoint
CREATE TABLE "alphadome"."bot_message_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"user_phone" varchar(32) NOT NULL,
	"user_id" uuid,
	"direction" varchar(8) NOT NULL,
	"message_text" text,
	"whatsapp_message_id" varchar(255),
	"message_type" varchar(32),
	"ai_processed" boolean DEFAULT false NOT NULL,
	"ai_response" text,
	"ai_model_used" varchar(255),
	"error_message" text,
	"template_used" varchar(255),
	"training_data_id" uuid,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "alphadome"."bot_message_logs_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_expires_at" timestamp with time zone,
	"reply_to_log_id" uuid,
	"part_index" smallint,
	"status_updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alphadome"."bot_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"template_name" varchar(255) NOT NULL,
	"system_prompt" text,
	"conversation_context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tone" varchar(32),
	"max_response_length" integer,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alphadome"."bot_tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_name" varchar(255) NOT NULL,
	"client_phone" varchar(32) NOT NULL,
	"brand_id" text,
	"whatsapp_phone_number_id" varchar(64),
	"whatsapp_business_account_id" varchar(64),
	"whatsapp_access_token" varchar,
	"ai_provider" varchar(32),
	"ai_api_key" varchar,
	"ai_model" varchar(255),
	"is_active" boolean DEFAULT true NOT NULL,
	"is_verified" boolean DEFAULT false NOT NULL,
	"webhook_verify_token" varchar(255),
	"webhook_url" varchar(2048),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"whatsapp_app_secret" varchar,
	CONSTRAINT "bot_tenants_client_phone_unique" UNIQUE("client_phone"),
	CONSTRAINT "bot_tenants_webhook_verify_token_unique" UNIQUE("webhook_verify_token")
);
--> statement-breakpoint
CREATE TABLE "alphadome"."bot_training_data" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"data_type" varchar(16) DEFAULT 'faq' NOT NULL,
	"question" text,
	"answer" text,
	"category" varchar(64) DEFAULT 'general',
	"priority" integer DEFAULT 5 NOT NULL,
	"confidence_score" numeric(3, 2) DEFAULT '1.00' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alphadome"."bot_control_settings" ADD CONSTRAINT "bot_control_settings_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_message_logs" ADD CONSTRAINT "bot_message_logs_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_message_logs" ADD CONSTRAINT "bot_message_logs_training_data_id_bot_training_data_id_fk" FOREIGN KEY ("training_data_id") REFERENCES "alphadome"."bot_training_data"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_templates" ADD CONSTRAINT "bot_templates_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_training_data" ADD CONSTRAINT "bot_training_data_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bot_message_logs_inbound_wamid_key" ON "alphadome"."bot_message_logs" USING btree ("bot_tenant_id","whatsapp_message_id") WHERE "alphadome"."bot_message_logs"."direction" = 'inbound';--> statement-breakpoint
CREATE UNIQUE INDEX "bot_message_logs_outbound_part_key" ON "alphadome"."bot_message_logs" USING btree ("reply_to_log_id","part_index") WHERE "alphadome"."bot_message_logs"."direction" = 'outbound';--> statement-breakpoint
CREATE INDEX "bot_message_logs_outbound_wamid_idx" ON "alphadome"."bot_message_logs" USING btree ("bot_tenant_id","whatsapp_message_id") WHERE "alphadome"."bot_message_logs"."direction" = 'outbound';--> statement-breakpoint
CREATE INDEX "bot_message_logs_queue_idx" ON "alphadome"."bot_message_logs" USING btree ("next_attempt_at") WHERE "alphadome"."bot_message_logs"."direction" = 'inbound' AND "alphadome"."bot_message_logs"."status" IN ('pending', 'processing');--> statement-breakpoint
CREATE INDEX "bot_message_logs_open_conversation_idx" ON "alphadome"."bot_message_logs" USING btree ("bot_tenant_id","user_phone","seq") WHERE "alphadome"."bot_message_logs"."direction" = 'inbound' AND "alphadome"."bot_message_logs"."status" IN ('pending', 'processing');--> statement-breakpoint
CREATE INDEX "bot_message_logs_conversation_idx" ON "alphadome"."bot_message_logs" USING btree ("bot_tenant_id","user_phone","created_at");--> statement-breakpoint
CREATE INDEX "bot_message_logs_tenant_time_idx" ON "alphadome"."bot_message_logs" USING btree ("bot_tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "bot_templates_tenant_idx" ON "alphadome"."bot_templates" USING btree ("bot_tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bot_tenants_phone_number_id_key" ON "alphadome"."bot_tenants" USING btree ("whatsapp_phone_number_id") WHERE "alphadome"."bot_tenants"."whatsapp_phone_number_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "bot_tenants_brand_id_idx" ON "alphadome"."bot_tenants" USING btree ("brand_id");--> statement-breakpoint
CREATE INDEX "bot_training_data_tenant_idx" ON "alphadome"."bot_training_data" USING btree ("bot_tenant_id","is_active");