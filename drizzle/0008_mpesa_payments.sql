CREATE TABLE "alphadome"."payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"phone" varchar(16) NOT NULL,
	"amount" integer NOT NULL,
	"reference" varchar(12) NOT NULL,
	"description" varchar(13) NOT NULL,
	"status" varchar(16) NOT NULL,
	"source" varchar(8) NOT NULL,
	"inbound_log_id" uuid,
	"shortcode" varchar(16),
	"callback_token_hash" varchar(64),
	"merchant_request_id" varchar(64),
	"checkout_request_id" varchar(64),
	"result_code" integer,
	"result_desc" text,
	"failure_reason" varchar(32),
	"receipt_number" varchar(32),
	"settled_by" varchar(16),
	"query_attempts" integer DEFAULT 0 NOT NULL,
	"next_query_at" timestamp with time zone,
	"notice_status" varchar(16),
	"requested_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alphadome"."bot_tenants" ADD COLUMN "mpesa_consumer_key" varchar;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_tenants" ADD COLUMN "mpesa_consumer_secret" varchar;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_tenants" ADD COLUMN "mpesa_passkey" varchar;--> statement-breakpoint
ALTER TABLE "alphadome"."payments" ADD CONSTRAINT "payments_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_tenant_time_idx" ON "alphadome"."payments" USING btree ("bot_tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_callback_token_key" ON "alphadome"."payments" USING btree ("callback_token_hash") WHERE "alphadome"."payments"."callback_token_hash" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_checkout_request_key" ON "alphadome"."payments" USING btree ("checkout_request_id") WHERE "alphadome"."payments"."checkout_request_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payments_due_query_idx" ON "alphadome"."payments" USING btree ("next_query_at") WHERE "alphadome"."payments"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "payments_offer_idx" ON "alphadome"."payments" USING btree ("bot_tenant_id","phone","created_at") WHERE "alphadome"."payments"."status" = 'offered';