-- 0011_workspace_deletions: the one record a deleted workspace leaves.
-- Global on purpose (no tenant_id, no RLS): every tenant row goes with the
-- workspace (ON DELETE CASCADE), and a row keyed by a tenant that no longer
-- exists could be read by no tenant context. The record is the operator's
-- evidence that, when and by whom a workspace was erased; it holds ids and a
-- time only, never the workspace's data (not even its name).
CREATE TABLE "workspace_deletions" (
  "id" uuid PRIMARY KEY,
  "workspace_id" uuid NOT NULL UNIQUE,
  "deleted_by_user_id" uuid NOT NULL,
  "deleted_at" timestamptz(3) NOT NULL DEFAULT now()
);

-- Append-only for the server: it writes the record, it never changes or reads one back.
GRANT INSERT ON "workspace_deletions" TO hoursync_app;
