-- 0012_import_held_rows: an archived member's own rows, held in an imported workspace under
-- their invitation until they accept it (server/src/import/archive-held.ts writes them,
-- server/src/auth/held-rows-hand-over.ts makes them the accepting person's). Rows of someone
-- who has no account in the workspace cannot be real rows yet: an entry, a timesheet and an
-- attachment each name their user. Held rows are read by nobody but the hand-over: no report,
-- list or sync pull sees them.
CREATE TABLE "held_rows" (
  "tenant_id" uuid NOT NULL REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "id" uuid NOT NULL,
  "invitation_id" uuid NOT NULL,
  "kind" text NOT NULL CHECK ("kind" IN ('entry', 'timesheet', 'attachment')),
  -- An entry's project and task as real keys, restricting as an entry's do: a project or task
  -- with held time cannot be deleted, so the hand-over never meets a reference to nothing.
  "project_id" uuid,
  "task_id" uuid,
  -- An attachment's stored file, so the file can go when the row goes without becoming an attachment.
  "storage_key" text CHECK ("storage_key" ~ '^[0-9a-f]{32}$'),
  "payload" jsonb NOT NULL,
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "id"),
  UNIQUE ("tenant_id", "storage_key"),
  CHECK (("kind" = 'attachment') = ("storage_key" IS NOT NULL)),
  CHECK ("kind" = 'entry' OR ("project_id" IS NULL AND "task_id" IS NULL)),
  -- Revoking (deleting) the invitation, or erasing the workspace, takes its held rows with it.
  FOREIGN KEY ("tenant_id", "invitation_id") REFERENCES "invitations"("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "project_id") REFERENCES "projects"("tenant_id", "id") ON DELETE RESTRICT,
  FOREIGN KEY ("tenant_id", "task_id") REFERENCES "tasks"("tenant_id", "id") ON DELETE RESTRICT
);
CREATE INDEX "held_rows_invitation_idx" ON "held_rows" ("tenant_id", "invitation_id");
-- A project's (or task's) deletion looks here for held time.
CREATE INDEX "held_rows_project_idx" ON "held_rows" ("tenant_id", "project_id");
CREATE INDEX "held_rows_task_idx" ON "held_rows" ("tenant_id", "task_id");

GRANT SELECT, INSERT, UPDATE, DELETE ON "held_rows" TO hoursync_app;
ALTER TABLE "held_rows" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "held_rows" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "held_rows"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- A held attachment's file is queued for removal with its row (the invitation was revoked),
-- unless the row went because it became an attachment (the invitation was accepted: the
-- attachment now holds the file) or because the workspace went (its whole folder is removed).
CREATE FUNCTION app_queue_held_file_removal() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM workspaces WHERE tenant_id = OLD.tenant_id)
       AND NOT EXISTS (SELECT 1 FROM attachments WHERE tenant_id = OLD.tenant_id AND storage_key = OLD.storage_key) THEN
      INSERT INTO storage_deletions (tenant_id, storage_key) VALUES (OLD.tenant_id, OLD.storage_key)
      ON CONFLICT DO NOTHING;
    END IF;
    RETURN OLD;
  END
  $$;

CREATE TRIGGER queue_held_file_removal AFTER DELETE ON "held_rows"
  FOR EACH ROW WHEN (OLD.storage_key IS NOT NULL) EXECUTE FUNCTION app_queue_held_file_removal();
