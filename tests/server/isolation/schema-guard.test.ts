/**
 * Schema guard: the database wall, read from pg_catalog through the server's
 * own connection (so it checks the very database, and the very role, the
 * server uses). A new table or migration that weakens the wall fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TENANT_TABLES } from "../../support/query-audit.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** Catalog reads through the server's Prisma client (names cast to text: Prisma cannot read the `name` type). */
function catalog<T>(sql: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
  return server.services.db.prisma.$queryRaw<T[]>(sql, ...values);
}

interface TableWalls {
  table: string;
  rls: boolean;
  forced: boolean;
  policies: number;
  owner: string;
}

async function tenantTables(): Promise<TableWalls[]> {
  return catalog<TableWalls>`
    SELECT c.relname::text AS "table", c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
           (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
           pg_get_userbyid(c.relowner)::text AS owner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
    ORDER BY 1`;
}

/** The columns of a key, in key order, as "a,b,c". */
const KEY_COLUMNS = (keyColumn: string, relation: string) => `
  (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord)
   FROM unnest(${keyColumn}) WITH ORDINALITY AS k(attnum, ord)
   JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum)`;

describe("schema guard", () => {
  it("finds exactly the tenant tables the query audit knows, and only users, sessions, sign-up requests, job runs, workspace deletions and migrations without tenant_id", async () => {
    expect((await tenantTables()).map((t) => t.table)).toEqual([...TENANT_TABLES].sort());
    const global = await catalog<{ table: string }>`
      SELECT c.relname::text AS "table"
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
      ORDER BY 1`;
    // job_runs holds which scheduled run happened (job name, period key, counts), never tenant data;
    // sign_up_requests holds sign-ups waiting for their address to be confirmed, before any account or workspace exists.
    // workspace_deletions records that a workspace was erased (who, when, which id): it must outlive the tenant's rows.
    expect(global.map((t) => t.table)).toEqual(["hoursync_migrations", "job_runs", "sessions", "sign_up_requests", "users", "workspace_deletions"]);
  });

  it("has row-level security enabled and forced, with at least one policy, on every tenant table", async () => {
    const weak = (await tenantTables()).filter((t) => !t.rls || !t.forced || t.policies < 1);
    expect(weak).toEqual([]);
  });

  it("lets no policy that allows writes go without a tenant check", async () => {
    const policies = await catalog<{ table: string; policy: string; command: string; using: string | null; check: string | null }>`
      SELECT c.relname::text AS "table", p.polname::text AS policy, p.polcmd::text AS command,
             pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS check
      FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
      ORDER BY 1, 2`;
    const tenantBound = (expr: string | null) => !!expr && /tenant_id\s*=\s*app_current_tenant\(\)/.test(expr);
    // "*" is ALL; a/w/d are INSERT/UPDATE/DELETE. SELECT-only policies cannot write.
    const writers = policies.filter((p) => p.command !== "r");
    expect(writers.length).toBeGreaterThanOrEqual(TENANT_TABLES.length);
    const unchecked = writers.filter((p) => (p.command !== "d" && !tenantBound(p.check)) || (p.command !== "a" && !tenantBound(p.using)));
    expect(unchecked).toEqual([]);
  });

  it("does not let the app role own a tenant table (an owner could switch RLS off)", async () => {
    expect((await tenantTables()).filter((t) => t.owner === "hoursync_app")).toEqual([]);
  });

  it("starts every tenant table's primary key with tenant_id (the workspaces' key is tenant_id alone)", async () => {
    const keys = await server.services.db.prisma.$queryRawUnsafe<{ table: string; columns: string }[]>(`
      SELECT c.relname::text AS "table", ${KEY_COLUMNS("con.conkey", "con.conrelid")} AS columns
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype = 'p' AND n.nspname = 'public'
      ORDER BY 1`);
    const byTable = Object.fromEntries(keys.map((k) => [k.table, k.columns]));
    const offenders = TENANT_TABLES.filter((t) => !byTable[t]?.startsWith("tenant_id"));
    expect(offenders, JSON.stringify(byTable)).toEqual([]);
    expect(byTable.workspaces).toBe("tenant_id");
  });

  it("includes tenant_id, matched to tenant_id, in every foreign key between tenant tables", async () => {
    const fks = await server.services.db.prisma.$queryRawUnsafe<
      { name: string; from: string; to: string; columns: string; references: string }[]
    >(`
      SELECT con.conname::text AS name, c.relname::text AS "from", r.relname::text AS "to",
             ${KEY_COLUMNS("con.conkey", "con.conrelid")} AS columns,
             ${KEY_COLUMNS("con.confkey", "con.confrelid")} AS "references"
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_class r ON r.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype = 'f' AND n.nspname = 'public'
      ORDER BY 1`);
    const tenant = new Set<string>(TENANT_TABLES);
    const between = fks.filter((fk) => tenant.has(fk.from) && tenant.has(fk.to));
    // Every tenant row hangs off its workspace, so none can outlive it or name a workspace that does not exist.
    const hangingOffWorkspace = new Set(between.filter((fk) => fk.to === "workspaces" && fk.columns === "tenant_id").map((fk) => fk.from));
    expect(TENANT_TABLES.filter((t) => t !== "workspaces" && !hangingOffWorkspace.has(t))).toEqual([]);
    const pairsTenant = (fk: (typeof fks)[number]) => {
      const refs = fk.references.split(",");
      return fk.columns.split(",").some((col, i) => col === "tenant_id" && refs[i] === "tenant_id");
    };
    expect(between.filter((fk) => !pairsTenant(fk)).map((fk) => `${fk.name}: (${fk.columns}) -> ${fk.to}(${fk.references})`)).toEqual([]);
  });

  it("has an app role that is neither superuser nor allowed to bypass RLS", async () => {
    const roles = await catalog<{ rolsuper: boolean; rolbypassrls: boolean }>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'hoursync_app'`;
    expect(roles).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it("runs the server's own connection as that non-superuser app role", async () => {
    const [me] = await catalog<{ user: string; rolsuper: boolean; rolbypassrls: boolean }>`
      SELECT current_user::text AS "user", r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`;
    expect(me).toEqual({ user: "hoursync_app", rolsuper: false, rolbypassrls: false });
  });
});
