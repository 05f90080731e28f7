-- Attachments: files on time entries. The row is the only way to a file:
-- downloads read it through RLS before any file is opened. Files live under
-- <storage root>/<tenant_id>/ with a server-made key; the client's file name
-- is only stored here.

CREATE TABLE "attachments" (
  "tenant_id" uuid NOT NULL REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "id" uuid NOT NULL,
  "entry_id" uuid NOT NULL,
  -- The entry's owner, so a device pulls the attachments of its user's entries.
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "uploaded_by" uuid NOT NULL,
  "original_name" text NOT NULL CHECK (length("original_name") BETWEEN 1 AND 255),
  "size_bytes" bigint NOT NULL CHECK ("size_bytes" >= 0),
  "content_type" text NOT NULL,
  "sha256" text NOT NULL CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
  "storage_key" text NOT NULL CHECK ("storage_key" ~ '^[0-9a-f]{32}$'),
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "change_seq" bigint NOT NULL DEFAULT 0,
  PRIMARY KEY ("tenant_id", "id"),
  UNIQUE ("tenant_id", "storage_key"),
  FOREIGN KEY ("tenant_id", "entry_id") REFERENCES "time_entries"("tenant_id", "id") ON DELETE CASCADE
);
CREATE INDEX "attachments_entry_idx" ON "attachments" ("tenant_id", "entry_id");
CREATE INDEX "attachments_change_idx" ON "attachments" ("tenant_id", "change_seq");

-- Files whose rows are gone (attachment or entry deleted, also by a sync push)
-- wait here until the server removes them after commit, or a later sweep
-- does if the process died in between. Rows of a deleted workspace go with
-- it: its whole directory is removed.
CREATE TABLE "storage_deletions" (
  "tenant_id" uuid NOT NULL REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "storage_key" text NOT NULL,
  "queued_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "storage_key")
);

GRANT SELECT, INSERT, UPDATE, DELETE ON "attachments", "storage_deletions" TO hoursync_app;
ALTER TABLE "attachments" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "attachments" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "attachments"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE "storage_deletions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "storage_deletions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "storage_deletions"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

CREATE FUNCTION app_queue_file_removal() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM workspaces WHERE tenant_id = OLD.tenant_id) THEN
      INSERT INTO storage_deletions (tenant_id, storage_key) VALUES (OLD.tenant_id, OLD.storage_key)
      ON CONFLICT DO NOTHING;
    END IF;
    RETURN OLD;
  END
  $$;

CREATE TRIGGER queue_file_removal AFTER DELETE ON "attachments"
  FOR EACH ROW EXECUTE FUNCTION app_queue_file_removal();
-- Synced like entries: change sequence on write, tombstone on delete.
CREATE TRIGGER stamp_change BEFORE INSERT OR UPDATE ON "attachments"
  FOR EACH ROW EXECUTE FUNCTION app_stamp_change();
CREATE TRIGGER record_deletion AFTER DELETE ON "attachments"
  FOR EACH ROW EXECUTE FUNCTION app_record_deletion('attachment');
