-- A NOTIFY inside every inserting transaction serialises all of them on PostgreSQL's notify
-- queue lock until commit; the app now announces new work itself, throttled, after commit.
DROP TRIGGER IF EXISTS bot_message_logs_work_arrived ON alphadome.bot_message_logs;
--> statement-breakpoint
DROP FUNCTION IF EXISTS alphadome.notify_work_arrived();
