-- 0002_sync: what offline devices need to sync. A per-tenant change sequence
-- stamped on every syncable row by trigger, tombstones for deletions, and
-- per-device bookkeeping that makes pushes idempotent.

CREATE TABLE "change_counters" (
  "tenant_id" uuid PRIMARY KEY REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "seq" bigint NOT NULL DEFAULT 0
);

CREATE TABLE "deletions" (
  "tenant_id" uuid NOT NULL REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "seq" bigint NOT NULL,
  "entity" text NOT NULL,
  "entity_id" uuid NOT NULL,
  -- owner of a deleted time entry (pull shows users only their own)
  "user_id" uuid,
  "deleted_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "seq")
);
CREATE INDEX "deletions_entity_idx" ON "deletions" ("tenant_id", "entity", "entity_id");

CREATE TABLE "sync_clients" (
  "tenant_id" uuid NOT NULL REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "id" uuid NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "name" text NOT NULL,
  "last_mutation_id" bigint NOT NULL DEFAULT 0,
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "last_seen_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "id")
);

-- The answer given to each mutation, so a replayed push gets the same answer.
CREATE TABLE "sync_mutations" (
  "tenant_id" uuid NOT NULL,
  "client_id" uuid NOT NULL,
  "mutation_id" bigint NOT NULL,
  "status" text NOT NULL CHECK ("status" IN ('applied', 'rejected')),
  "reason" text,
  "message" text,
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "client_id", "mutation_id"),
  FOREIGN KEY ("tenant_id") REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "client_id") REFERENCES "sync_clients"("tenant_id", "id") ON DELETE CASCADE
);

ALTER TABLE "time_entries" ADD COLUMN "change_seq" bigint NOT NULL DEFAULT 0;
ALTER TABLE "projects" ADD COLUMN "change_seq" bigint NOT NULL DEFAULT 0;
ALTER TABLE "tasks" ADD COLUMN "change_seq" bigint NOT NULL DEFAULT 0;
ALTER TABLE "tags" ADD COLUMN "change_seq" bigint NOT NULL DEFAULT 0;
ALTER TABLE "clients" ADD COLUMN "change_seq" bigint NOT NULL DEFAULT 0;
CREATE INDEX "time_entries_change_idx" ON "time_entries" ("tenant_id", "change_seq");
CREATE INDEX "projects_change_idx" ON "projects" ("tenant_id", "change_seq");
CREATE INDEX "tasks_change_idx" ON "tasks" ("tenant_id", "change_seq");
CREATE INDEX "tags_change_idx" ON "tags" ("tenant_id", "change_seq");
CREATE INDEX "clients_change_idx" ON "clients" ("tenant_id", "change_seq");

-- The next number of a tenant's change sequence. The counter row stays
-- locked until commit, so sequence order is commit order within a tenant and
-- a pull cursor never skips a change that commits late.
CREATE FUNCTION app_next_change_seq(t uuid) RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$
    INSERT INTO change_counters (tenant_id, seq) VALUES (t, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = change_counters.seq + 1
    RETURNING seq
  $$;

CREATE FUNCTION app_stamp_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.change_seq := app_next_change_seq(NEW.tenant_id);
    RETURN NEW;
  END
  $$;

CREATE FUNCTION app_record_deletion() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE kind text := TG_ARGV[0];
  BEGIN
    -- Rows removed because their whole workspace is being deleted need no tombstone.
    IF NOT EXISTS (SELECT 1 FROM workspaces WHERE tenant_id = OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
    INSERT INTO deletions (tenant_id, seq, entity, entity_id, user_id)
    VALUES (OLD.tenant_id, app_next_change_seq(OLD.tenant_id), kind, OLD.id,
            -- only entries have an owner; to_jsonb reads it without naming a column other tables lack
            (to_jsonb(OLD) ->> 'user_id')::uuid);
    RETURN OLD;
  END
  $$;

DO $$
DECLARE
  t text;
  kinds text[] := ARRAY['time_entries:entry', 'projects:project', 'tasks:task', 'tags:tag', 'clients:client'];
  pair text;
BEGIN
  FOREACH pair IN ARRAY kinds LOOP
    t := split_part(pair, ':', 1);
    EXECUTE format('CREATE TRIGGER stamp_change BEFORE INSERT OR UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION app_stamp_change()', t);
    EXECUTE format('CREATE TRIGGER record_deletion AFTER DELETE ON %I FOR EACH ROW EXECUTE FUNCTION app_record_deletion(%L)', t, split_part(pair, ':', 2));
  END LOOP;
END
$$;

-- A sync batch is checked as a whole before it is written, then written in
-- bulk; the overlap rule is re-checked at commit so the order of writes inside
-- the batch does not matter.
ALTER TABLE "time_entries" DROP CONSTRAINT "time_entries_no_overlap";
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_no_overlap"
  EXCLUDE USING gist (
    "tenant_id" WITH =,
    "user_id" WITH =,
    tstzrange("start_at", COALESCE("end_at", 'infinity'::timestamptz), '[)') WITH &&
  ) DEFERRABLE INITIALLY IMMEDIATE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "change_counters", "deletions", "sync_clients", "sync_mutations" TO hoursync_app;
GRANT EXECUTE ON FUNCTION app_next_change_seq(uuid) TO hoursync_app;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['change_counters', 'deletions', 'sync_clients', 'sync_mutations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())', t);
  END LOOP;
END
$$;
