CREATE TABLE "alphadome"."bot_embedding_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"model" varchar(255) NOT NULL,
	"purpose" varchar(16) NOT NULL,
	"inputs" integer NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alphadome"."bot_faq_embeddings" (
	"training_data_id" uuid PRIMARY KEY NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"model" varchar(255) DEFAULT '' NOT NULL,
	"text_hash" varchar(32) DEFAULT '' NOT NULL,
	"dimensions" integer DEFAULT 0 NOT NULL,
	"vectors" real[],
	"claimed_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alphadome"."bot_embedding_usage" ADD CONSTRAINT "bot_embedding_usage_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_faq_embeddings" ADD CONSTRAINT "bot_faq_embeddings_training_data_id_bot_training_data_id_fk" FOREIGN KEY ("training_data_id") REFERENCES "alphadome"."bot_training_data"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_faq_embeddings" ADD CONSTRAINT "bot_faq_embeddings_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bot_embedding_usage_tenant_time_idx" ON "alphadome"."bot_embedding_usage" USING btree ("bot_tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "bot_faq_embeddings_tenant_idx" ON "alphadome"."bot_faq_embeddings" USING btree ("bot_tenant_id");