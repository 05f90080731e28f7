/**
 * The query audit itself: it must flag what it is there to flag, pass what
 * is scoped, and actually see the statements the server sends (an audit
 * that sees nothing passes everything).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditStatement, auditStatements, tenantTablesIn, TENANT_TABLES } from "../../support/query-audit.js";
import { createCompany } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

describe("the query audit flags unscoped statements on tenant tables", () => {
  it.each([
    ["a SELECT by id only", `SELECT "public"."projects"."id" FROM "public"."projects" WHERE "public"."projects"."id" = $1`, ["projects"]],
    ["a SELECT with no WHERE", `SELECT count(*) FROM time_entries`, ["time_entries"]],
    ["an UPDATE by id only", `UPDATE "public"."tags" SET "name" = $1 WHERE "public"."tags"."id" = $2`, ["tags"]],
    ["a DELETE by id only", `DELETE FROM "public"."clients" WHERE "public"."clients"."id" = $1`, ["clients"]],
    ["an INSERT without a tenant_id column", `INSERT INTO "public"."tags" ("id","name") VALUES ($1,$2)`, ["tags"]],
    ["a tenant_id compared with itself (a tautology, not a filter)", `SELECT * FROM projects WHERE tenant_id = tenant_id`, ["projects"]],
    ["a tenant_id that is only tested for NULL", `SELECT * FROM audit_events WHERE "tenant_id" IS NOT NULL`, ["audit_events"]],
    [
      "the directory join without its marker",
      `SELECT w.tenant_id::text, w.name FROM memberships m JOIN workspaces w ON w.tenant_id = m.tenant_id WHERE m.user_id = $1::uuid`,
      ["memberships", "workspaces"],
    ],
  ])("%s", (_what, sql, tables) => {
    expect(auditStatement(sql)).toEqual({ sql, tables });
  });
});

describe("the query audit passes scoped statements and statements on no tenant table", () => {
  it.each([
    ["a SELECT filtered by tenant_id", `SELECT * FROM "public"."projects" WHERE ("public"."projects"."tenant_id" = $1 AND "public"."projects"."id" = $2)`],
    ["Prisma's include form (tenant_id IN)", `SELECT * FROM "public"."time_entry_tags" WHERE ("public"."time_entry_tags"."tenant_id" IN ($1) AND "public"."time_entry_tags"."entry_id" IN ($2))`],
    ["an INSERT that writes tenant_id", `INSERT INTO "public"."tags" ("tenant_id","id","name") VALUES ($1,$2,$3)`],
    ["an UPDATE filtered by tenant_id", `UPDATE "public"."tags" SET "name" = $1 WHERE ("public"."tags"."tenant_id" = $2 AND "public"."tags"."id" = $3)`],
    ["a read of a global table", `SELECT * FROM "public"."users" WHERE "public"."users"."id" = $1`],
    ["a session lookup", `SELECT * FROM "public"."sessions" WHERE "token_hash" = $1`],
    ["setting the tenant", `SELECT set_config('app.tenant_id', $1, true)`],
    ["a transaction boundary", `COMMIT`],
    [
      "the marked directory lookup",
      `/* directory */ SELECT w.tenant_id::text, w.name FROM memberships m JOIN workspaces w ON w.tenant_id = m.tenant_id WHERE m.user_id = $1::uuid`,
    ],
  ])("%s", (_what, sql) => {
    expect(auditStatement(sql)).toBeNull();
  });

  it("recognises tenant tables however they are quoted, and only whole names", () => {
    expect(tenantTablesIn(`SELECT 1 FROM "public"."time_entry_tags"`)).toEqual(["time_entry_tags"]);
    expect(tenantTablesIn(`select 1 from Projects p join "tasks" t on t.project_id = p.id`)).toEqual(["projects", "tasks"]);
    expect(tenantTablesIn(`SELECT 1 FROM projects_archive`)).toEqual([]);
    expect(tenantTablesIn(`SELECT project_id FROM users`)).toEqual([]);
  });

  it("knows every tenant table", () => {
    for (const table of TENANT_TABLES) expect(tenantTablesIn(`SELECT 1 FROM ${table} WHERE id = $1`)).toEqual([table]);
  });

  it("reports only the violations of a list, in order", () => {
    const scoped = `SELECT * FROM tags WHERE tenant_id = $1`;
    const first = `DELETE FROM tags WHERE id = $1`;
    const second = `SELECT * FROM tasks`;
    expect(auditStatements([scoped, first, "COMMIT", second, scoped]).map((v) => v.sql)).toEqual([first, second]);
  });
});

describe("the query audit sees what the server sends", () => {
  // Audited by hand here (not on close), so that a violation can be planted and must be caught.
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ skipQueryAudit: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("receives the server's statements: set_config, tenant-table reads and writes, the directory lookup, all scoped", async () => {
    const a = await createCompany(server, "Acme");
    const b = await createCompany(server, "Bolt");
    const project = await a.owner.api.projects.create.mutate({ name: "Site" });
    await a.owner.api.entries.create.mutate({
      projectId: project.id,
      start: new Date("2025-01-06T09:00:00Z"),
      end: new Date("2025-01-06T10:00:00Z"),
    });
    await a.owner.api.entries.list.query({});
    await a.owner.api.auth.workspaces.query();
    expect(await errorCodeOf(server.client({ token: b.owner.token, workspaceId: a.workspaceId }).projects.list.query({}))).toBe(
      "NOT_FOUND",
    );

    const sent = server.statements;
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.some((s) => s.includes("set_config('app.tenant_id'"))).toBe(true);
    expect(sent.some((s) => s.includes("set_config('app.directory_user_id'"))).toBe(true);
    const touched = new Set(sent.flatMap(tenantTablesIn));
    for (const table of ["workspaces", "memberships", "projects", "time_entries", "audit_events"]) expect(touched).toContain(table);
    expect(sent.some((s) => /^\s*INSERT INTO "public"."time_entries"/.test(s))).toBe(true);
    expect(sent.filter((s) => s.includes("/* directory */"))).toHaveLength(1);
    expect(auditStatements(sent)).toEqual([]);
  });

  it("catches an unscoped statement sent through the server's own connection", async () => {
    const planted = "SELECT count(*)::int AS n FROM projects";
    await server.services.db.prisma.$queryRawUnsafe(planted);
    expect(server.statements).toContain(planted);
    expect(auditStatements(server.statements)).toEqual([{ sql: planted, tables: ["projects"] }]);
  });
});
