-- 0008_bulk_change_numbers: a sync batch numbers its time entries in one step.
-- Stamping each row through a PL/pgSQL trigger (one counter update a row)
-- was a third of a thousand-row insert on PostgreSQL and more on PGlite.
-- The push's bulk writes now take a block of the tenant's change numbers
-- with one counter update and write them themselves; the trigger stamps
-- every other write, as before. Its WHEN clause is evaluated without calling
-- the function, so rows that arrive numbered cost nothing. The counter row
-- stays locked until commit either way, so change order is still commit order.

DROP TRIGGER stamp_change ON "time_entries";

CREATE TRIGGER stamp_change_insert BEFORE INSERT ON "time_entries"
  FOR EACH ROW
  WHEN (NEW.change_seq = 0)
  EXECUTE FUNCTION app_stamp_change();

CREATE TRIGGER stamp_change_update BEFORE UPDATE ON "time_entries"
  FOR EACH ROW
  WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
  EXECUTE FUNCTION app_stamp_change();

-- Reserves `n` consecutive change numbers of tenant `t`; returns the last.
CREATE FUNCTION app_reserve_change_seqs(t uuid, n bigint) RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$
    INSERT INTO change_counters (tenant_id, seq) VALUES (t, n)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = change_counters.seq + n
    RETURNING seq
  $$;

GRANT EXECUTE ON FUNCTION app_reserve_change_seqs(uuid, bigint) TO hoursync_app;
