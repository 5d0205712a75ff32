CREATE TABLE "alphadome"."answer_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"user_phone" varchar(32) NOT NULL,
	"outbound_log_id" uuid NOT NULL,
	"training_data_id" uuid,
	"ai_model_used" varchar(255),
	"rating" smallint NOT NULL,
	"source" varchar(16) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alphadome"."conversations" (
	"bot_tenant_id" uuid NOT NULL,
	"user_phone" varchar(32) NOT NULL,
	"last_inbound_at" timestamp with time zone,
	"paused_until" timestamp with time zone,
	"pause_reason" varchar(255),
	"last_escalated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_bot_tenant_id_user_phone_pk" PRIMARY KEY("bot_tenant_id","user_phone")
);
--> statement-breakpoint
CREATE TABLE "alphadome"."rate_counters" (
	"bot_tenant_id" uuid NOT NULL,
	"scope" varchar(16) NOT NULL,
	"subject" varchar(32) DEFAULT '' NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"notice_sent" boolean DEFAULT false NOT NULL,
	CONSTRAINT "rate_counters_bot_tenant_id_scope_subject_window_start_pk" PRIMARY KEY("bot_tenant_id","scope","subject","window_start")
);
--> statement-breakpoint
ALTER TABLE "alphadome"."answer_ratings" ADD CONSTRAINT "answer_ratings_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."answer_ratings" ADD CONSTRAINT "answer_ratings_training_data_id_bot_training_data_id_fk" FOREIGN KEY ("training_data_id") REFERENCES "alphadome"."bot_training_data"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."conversations" ADD CONSTRAINT "conversations_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."rate_counters" ADD CONSTRAINT "rate_counters_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_ratings_tenant_faq_idx" ON "alphadome"."answer_ratings" USING btree ("bot_tenant_id","training_data_id");--> statement-breakpoint
CREATE INDEX "conversations_paused_idx" ON "alphadome"."conversations" USING btree ("bot_tenant_id","paused_until");