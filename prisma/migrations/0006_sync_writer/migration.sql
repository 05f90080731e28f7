-- 0006_sync_writer: which device last wrote each time entry. A sync push
-- names its device (app.client_id, transaction-local); every other write
-- leaves it empty. A device's pull skips entries it wrote itself and nobody
-- changed since: it already holds them, and a device back from a week
-- offline does not download its own week again.
--
-- Inserts take the column's default and the push's bulk update sets it, so
-- a thousand-row batch runs no extra trigger per row (a per-row PL/pgSQL
-- trigger tripled the push's write time on PGlite). Any other update (the
-- API's) leaves the column as it was, and the trigger then clears it.

ALTER TABLE "time_entries"
  ADD COLUMN "written_by_client" uuid DEFAULT NULLIF(current_setting('app.client_id', true), '')::uuid;

CREATE FUNCTION app_stamp_writer() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.written_by_client := NULLIF(current_setting('app.client_id', true), '')::uuid;
    RETURN NEW;
  END
  $$;

CREATE TRIGGER stamp_writer BEFORE UPDATE ON "time_entries"
  FOR EACH ROW
  WHEN (NEW.written_by_client IS NOT DISTINCT FROM OLD.written_by_client)
  EXECUTE FUNCTION app_stamp_writer();
