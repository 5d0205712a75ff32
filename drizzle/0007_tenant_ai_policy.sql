ALTER TABLE "alphadome"."bot_tenants" ADD COLUMN "server_ai_allowed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Tenants that exist at the upgrade were paying with the server's keys already: they keep doing so
-- until the administrator says otherwise. Tenants made from now on need the administrator's yes.
UPDATE "alphadome"."bot_tenants" SET "server_ai_allowed" = true;
