-- Running servers learn about changes made by SQL (psql, the admin API, another process)
-- through NOTIFY: the payload is the tenant id whose cached context must be dropped.
CREATE OR REPLACE FUNCTION alphadome.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION alphadome.notify_tenant_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed_tenant uuid;
BEGIN
  IF TG_TABLE_NAME = 'bot_tenants' THEN
    changed_tenant := COALESCE(NEW.id, OLD.id);
  ELSIF TG_OP = 'DELETE' THEN
    changed_tenant := OLD.bot_tenant_id;
  ELSE
    changed_tenant := NEW.bot_tenant_id;
  END IF;
  PERFORM pg_notify('alphadome_tenant_changed', changed_tenant::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- One wake-up per inserting statement, not per row: workers then claim whatever is due.
CREATE OR REPLACE FUNCTION alphadome.notify_work_arrived() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('alphadome_work', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER bot_tenants_touch BEFORE UPDATE ON alphadome.bot_tenants
  FOR EACH ROW EXECUTE FUNCTION alphadome.touch_updated_at();
--> statement-breakpoint
CREATE TRIGGER bot_templates_touch BEFORE UPDATE ON alphadome.bot_templates
  FOR EACH ROW EXECUTE FUNCTION alphadome.touch_updated_at();
--> statement-breakpoint
CREATE TRIGGER bot_training_data_touch BEFORE UPDATE ON alphadome.bot_training_data
  FOR EACH ROW EXECUTE FUNCTION alphadome.touch_updated_at();
--> statement-breakpoint
CREATE TRIGGER bot_control_settings_touch BEFORE UPDATE ON alphadome.bot_control_settings
  FOR EACH ROW EXECUTE FUNCTION alphadome.touch_updated_at();
--> statement-breakpoint
CREATE TRIGGER bot_tenants_changed AFTER INSERT OR UPDATE OR DELETE ON alphadome.bot_tenants
  FOR EACH ROW EXECUTE FUNCTION alphadome.notify_tenant_changed();
--> statement-breakpoint
CREATE TRIGGER bot_templates_changed AFTER INSERT OR UPDATE OR DELETE ON alphadome.bot_templates
  FOR EACH ROW EXECUTE FUNCTION alphadome.notify_tenant_changed();
--> statement-breakpoint
CREATE TRIGGER bot_training_data_changed AFTER INSERT OR UPDATE OR DELETE ON alphadome.bot_training_data
  FOR EACH ROW EXECUTE FUNCTION alphadome.notify_tenant_changed();
--> statement-breakpoint
CREATE TRIGGER bot_control_settings_changed AFTER INSERT OR UPDATE OR DELETE ON alphadome.bot_control_settings
  FOR EACH ROW EXECUTE FUNCTION alphadome.notify_tenant_changed();
--> statement-breakpoint
CREATE TRIGGER bot_message_logs_work_arrived AFTER INSERT ON alphadome.bot_message_logs
  FOR EACH STATEMENT EXECUTE FUNCTION alphadome.notify_work_arrived();
--> statement-breakpoint
ALTER TABLE alphadome.bot_message_logs
  ADD CONSTRAINT bot_message_logs_direction_check CHECK (direction IN ('inbound', 'outbound'));
--> statement-breakpoint
ALTER TABLE alphadome.bot_training_data
  ADD CONSTRAINT bot_training_data_confidence_check CHECK (confidence_score >= 0 AND confidence_score <= 1);
