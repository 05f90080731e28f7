-- 0006_sync_writer: which device last wrote each time entry. A sync push
-- names its device (app.client_id, transaction-local); every other write
-- leaves it empty. A device's pull skips entries it wrote itself and nobody
-- changed since: it already holds them, and a device back from a week
-- offline does not download its own week again.

ALTER TABLE "time_entries" ADD COLUMN "written_by_client" uuid;

CREATE FUNCTION app_stamp_writer() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.written_by_client := NULLIF(current_setting('app.client_id', true), '')::uuid;
    RETURN NEW;
  END
  $$;

CREATE TRIGGER stamp_writer BEFORE INSERT OR UPDATE ON "time_entries"
  FOR EACH ROW EXECUTE FUNCTION app_stamp_writer();
