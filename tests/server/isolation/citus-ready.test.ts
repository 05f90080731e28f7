/**
 * Citus readiness: the migrated schema, read from the catalog, can be distributed by tenant_id
 * (README, "Moving to Citus"). Each rule is also shown to catch a planted violation, in a
 * transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citusProblems, GLOBAL_TABLE_PLAN } from "../../support/citus-readiness.js";
import { TENANT_TABLES } from "../../support/query-audit.js";
import { inRolledBackTransaction, openRawDatabase, type RawDatabase } from "../../support/raw-database.js";

let db: RawDatabase;
beforeAll(async () => {
  db = await openRawDatabase();
});
afterAll(async () => {
  await db?.close();
});

/** The problems found with `ddl` applied, in a transaction rolled back afterwards. */
function problemsWith(ddl: string): Promise<string[]> {
  return inRolledBackTransaction(db.superuser, async () => {
    await db.superuser.query(ddl);
    return citusProblems(db.superuser);
  });
}

describe("Citus readiness of the migrated schema", () => {
  it("has nothing Citus would refuse: keys, unique and exclusion constraints and foreign keys all include tenant_id, and tenant tables point only at reference tables", async () => {
    expect(await citusProblems(db.superuser)).toEqual([]);
  });

  it("plans every table: the tenant tables distributed, users and sessions as reference tables, the rest local", async () => {
    const tables = await db.superuser.query<{ table: string }>(`
      SELECT c.relname::text AS "table" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`);
    expect(tables.map((t) => t.table)).toEqual([...TENANT_TABLES, ...Object.keys(GLOBAL_TABLE_PLAN)].sort());
  });

  it("catches a unique constraint or index without tenant_id", async () => {
    expect(await problemsWith(`ALTER TABLE clients ADD CONSTRAINT clients_name_only UNIQUE (name)`)).toEqual([
      "clients.clients_name_only: unique constraint (name) without tenant_id",
    ]);
    expect(await problemsWith(`CREATE UNIQUE INDEX tags_name_only ON tags (name)`)).toEqual(["tags.tags_name_only: unique index without tenant_id"]);
  });

  it("catches an exclusion constraint without tenant_id WITH =", async () => {
    const problems = await problemsWith(
      `ALTER TABLE time_entries ADD CONSTRAINT any_overlap EXCLUDE USING gist (user_id WITH =, tstzrange(start_at, end_at) WITH &&)`,
    );
    expect(problems).toEqual(['time_entries.any_overlap: exclusion constraint without "tenant_id WITH ="']);
  });

  it("catches foreign keys Citus refuses: not matched on tenant_id, cascading tenant_id on update", async () => {
    expect(await problemsWith(`ALTER TABLE notifications ADD COLUMN project_id uuid, ADD CONSTRAINT n_project FOREIGN KEY (project_id, tenant_id) REFERENCES projects (tenant_id, id)`)).toEqual([
      "notifications.n_project: foreign key to projects not matched on tenant_id",
    ]);
    expect(
      await problemsWith(`ALTER TABLE tags DROP CONSTRAINT tags_tenant_id_fkey, ADD CONSTRAINT tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES workspaces (tenant_id) ON DELETE CASCADE ON UPDATE CASCADE`),
    ).toEqual(["tags.tags_tenant_id_fkey: ON UPDATE c on a key with tenant_id"]);
  });

  it("catches a tenant table pointing at a global table that would not be a reference table, and the reverse", async () => {
    expect(await problemsWith(`ALTER TABLE audit_events ADD COLUMN run_job text, ADD COLUMN run_key text, ADD CONSTRAINT a_run FOREIGN KEY (run_job, run_key) REFERENCES job_runs (job, run_key)`)).toEqual([
      "audit_events.a_run: a tenant table points at job_runs, which is not planned as a reference table",
    ]);
    expect(await problemsWith(`ALTER TABLE sessions ADD COLUMN workspace_id uuid REFERENCES workspaces (tenant_id)`)).toEqual([
      "sessions.sessions_workspace_id_fkey: a table without tenant_id points at the tenant table workspaces",
    ]);
  });

  it("catches a new table without tenant_id that has no plan", async () => {
    expect(await problemsWith(`CREATE TABLE feature_flags (name text PRIMARY KEY)`)).toEqual([
      "feature_flags: a table without tenant_id that is in no plan (reference or local)",
    ]);
  });
});
