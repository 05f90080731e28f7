-- 0003_timesheets: periods submitted for approval, locks, and who approves whom.

ALTER TABLE "workspaces" ADD COLUMN "timesheet_period" text NOT NULL DEFAULT 'WEEK'
  CHECK ("timesheet_period" IN ('WEEK', 'MONTH'));
-- Everything before this date (in the workspace's time zone) is locked.
ALTER TABLE "workspaces" ADD COLUMN "lock_before" date;
-- Rolling lock: a period is locked this many days after it ended (NULL: off).
ALTER TABLE "workspaces" ADD COLUMN "lock_grace_days" integer CHECK ("lock_grace_days" >= 0);
ALTER TABLE "workspaces" ADD COLUMN "approval_mode" text NOT NULL DEFAULT 'ALL_MANAGERS'
  CHECK ("approval_mode" IN ('ALL_MANAGERS', 'PROJECT_MANAGERS'));

ALTER TABLE "project_members" ADD COLUMN "is_manager" boolean NOT NULL DEFAULT false;

CREATE TABLE "timesheets" (
  "tenant_id" uuid NOT NULL REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "id" uuid NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "period_start" date NOT NULL,
  "period_end" date NOT NULL,
  "status" text NOT NULL CHECK ("status" IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'REOPENED')),
  "comment" text,
  "submitted_at" timestamptz(3) NOT NULL DEFAULT now(),
  "decided_at" timestamptz(3),
  "decided_by" uuid,
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "id"),
  UNIQUE ("tenant_id", "user_id", "period_start"),
  CHECK ("period_end" > "period_start")
);
CREATE INDEX "timesheets_status_idx" ON "timesheets" ("tenant_id", "status");

GRANT SELECT, INSERT, UPDATE, DELETE ON "timesheets" TO hoursync_app;
ALTER TABLE "timesheets" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "timesheets" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "timesheets"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- Notifications a member sees in the app (the weekly summary for managers).
CREATE TABLE "notifications" (
  "tenant_id" uuid NOT NULL REFERENCES "workspaces"("tenant_id") ON DELETE CASCADE,
  "id" uuid NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "kind" text NOT NULL,
  "title" text NOT NULL,
  "body" jsonb NOT NULL DEFAULT '{}',
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "read_at" timestamptz(3),
  PRIMARY KEY ("tenant_id", "id")
);
CREATE INDEX "notifications_user_idx" ON "notifications" ("tenant_id", "user_id", "created_at");
GRANT SELECT, INSERT, UPDATE, DELETE ON "notifications" TO hoursync_app;
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notifications"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- One row per scheduled job run: the primary key makes a run happen once however many
-- server processes try it (global, holds no tenant data).
CREATE TABLE "job_runs" (
  "job" text NOT NULL,
  "run_key" text NOT NULL,
  "started_at" timestamptz(3) NOT NULL DEFAULT now(),
  "finished_at" timestamptz(3),
  "report" jsonb,
  PRIMARY KEY ("job", "run_key")
);
GRANT SELECT, INSERT, UPDATE ON "job_runs" TO hoursync_app;

-- The ids of all workspaces, for jobs that visit each tenant in turn (ids only, nothing
-- else crosses). Runs as the migration owner, which must bypass RLS (superuser or BYPASSRLS).
CREATE FUNCTION app_tenant_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT tenant_id FROM workspaces ORDER BY tenant_id $$;
REVOKE ALL ON FUNCTION app_tenant_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_tenant_ids() TO hoursync_app;
