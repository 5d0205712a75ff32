CREATE TABLE "alphadome"."team_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" varchar(128) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "alphadome"."team_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_tenant_id" uuid NOT NULL,
	"email" varchar(320) NOT NULL,
	"name" varchar(255) NOT NULL,
	"role" varchar(16) NOT NULL,
	"password_hash" varchar(255),
	"setup_token_hash" varchar(128),
	"setup_expires_at" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_users_email_unique" UNIQUE("email"),
	CONSTRAINT "team_users_setup_token_hash_unique" UNIQUE("setup_token_hash")
);
--> statement-breakpoint
ALTER TABLE "alphadome"."conversations" ADD COLUMN "assigned_user_id" uuid;--> statement-breakpoint
ALTER TABLE "alphadome"."team_sessions" ADD CONSTRAINT "team_sessions_user_id_team_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "alphadome"."team_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."team_users" ADD CONSTRAINT "team_users_bot_tenant_id_bot_tenants_id_fk" FOREIGN KEY ("bot_tenant_id") REFERENCES "alphadome"."bot_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "team_sessions_user_idx" ON "alphadome"."team_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "team_users_tenant_idx" ON "alphadome"."team_users" USING btree ("bot_tenant_id");--> statement-breakpoint
ALTER TABLE "alphadome"."conversations" ADD CONSTRAINT "conversations_assigned_user_id_team_users_id_fk" FOREIGN KEY ("assigned_user_id") REFERENCES "alphadome"."team_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alphadome"."team_users" ADD CONSTRAINT "team_users_role_check" CHECK ("role" IN ('owner', 'agent'));
