-- Routing compares client phones by their digits, so "+254 700 123456" and "254700123456" are one
-- number; until now only the exact text was unique, and SQL could give one number two tenants.
-- Tenants that already share a number are not merged or renumbered here (which one the customers
-- meant is the operator's call): the migration stops, naming them, and the server does not start.
DO $$
DECLARE
  clashes text;
BEGIN
  SELECT string_agg(format('%s: %s', digits, tenants), '; ' ORDER BY digits) INTO clashes
  FROM (
    SELECT regexp_replace(client_phone, '[^0-9]', '', 'g') AS digits,
           string_agg(format('tenant %s (%L)', id, client_phone), ', ' ORDER BY created_at, id) AS tenants
    FROM "alphadome"."bot_tenants"
    GROUP BY 1
    HAVING count(*) > 1
  ) AS shared
  WHERE digits <> '';
  IF clashes IS NOT NULL THEN
    RAISE EXCEPTION 'Tenants share a client_phone written differently (routing compares digits only): %. Give each its own number (UPDATE alphadome.bot_tenants SET client_phone = ... WHERE id = ...), then start again.', clashes;
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "alphadome"."bot_tenants" ADD COLUMN "client_phone_digits" text GENERATED ALWAYS AS (regexp_replace(client_phone, '[^0-9]', '', 'g')) STORED;--> statement-breakpoint
CREATE UNIQUE INDEX "bot_tenants_client_phone_digits_key" ON "alphadome"."bot_tenants" USING btree ("client_phone_digits") WHERE "alphadome"."bot_tenants"."client_phone_digits" <> '';
