/**
 * No context, no data: connected as the app role, a session that has not
 * set `app.tenant_id` reads nothing and writes nothing on any tenant table,
 * and one that has set it sees that tenant's rows only.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inRolledBackTransaction,
  openRawDatabase,
  sqlStateOf,
  type RawDatabase,
  type SqlSession,
} from "../../support/raw-database.js";
import { testDbKind } from "../../support/database.js";
import { TENANT_TABLES } from "../../support/query-audit.js";

type TenantTable = (typeof TENANT_TABLES)[number];
const INSUFFICIENT_PRIVILEGE = "42501";

interface Tenant {
  id: string;
  userId: string;
  membershipId: string;
  clientId: string;
  projectId: string;
  taskId: string;
  tagId: string;
  entryId: string;
  invitationId: string;
}

function newTenant(): Tenant {
  const id = () => randomUUID();
  return { id: id(), userId: id(), membershipId: id(), clientId: id(), projectId: id(), taskId: id(), tagId: id(), entryId: id(), invitationId: id() };
}

/** One valid row in every tenant table, in an order that satisfies the foreign keys. */
function rowsOf(t: Tenant): { table: TenantTable; sql: string; params: unknown[] }[] {
  const row = (table: TenantTable, sql: string, params: unknown[]) => ({ table, sql, params });
  return [
    row("workspaces", "INSERT INTO workspaces (tenant_id, name) VALUES ($1, $2)", [t.id, `Workspace ${t.id}`]),
    row("memberships", "INSERT INTO memberships (tenant_id, id, user_id, role) VALUES ($1, $2, $3, 'OWNER')", [t.id, t.membershipId, t.userId]),
    row(
      "invitations",
      "INSERT INTO invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, 'EMPLOYEE', $4, $5, now() + interval '1 day')",
      [t.id, t.invitationId, `invitee-${t.id}@example.test`, randomUUID(), t.userId],
    ),
    row("clients", "INSERT INTO clients (tenant_id, id, name) VALUES ($1, $2, 'Client')", [t.id, t.clientId]),
    row("projects", "INSERT INTO projects (tenant_id, id, client_id, name) VALUES ($1, $2, $3, 'Project')", [t.id, t.projectId, t.clientId]),
    row("project_members", "INSERT INTO project_members (tenant_id, project_id, membership_id) VALUES ($1, $2, $3)", [t.id, t.projectId, t.membershipId]),
    row("tasks", "INSERT INTO tasks (tenant_id, id, project_id, name) VALUES ($1, $2, $3, 'Task')", [t.id, t.taskId, t.projectId]),
    row("tags", "INSERT INTO tags (tenant_id, id, name) VALUES ($1, $2, 'Tag')", [t.id, t.tagId]),
    row(
      "time_entries",
      "INSERT INTO time_entries (tenant_id, id, user_id, project_id, task_id, start_at, end_at) VALUES ($1, $2, $3, $4, $5, '2025-01-06 09:00Z', '2025-01-06 10:00Z')",
      [t.id, t.entryId, t.userId, t.projectId, t.taskId],
    ),
    row("time_entry_tags", "INSERT INTO time_entry_tags (tenant_id, entry_id, tag_id) VALUES ($1, $2, $3)", [t.id, t.entryId, t.tagId]),
    row("audit_events", "INSERT INTO audit_events (tenant_id, id, action) VALUES ($1, $2, 'seeded')", [t.id, randomUUID()]),
    // The triggers above already made the tenant's counter row; the insert must still pass the walls.
    row("change_counters", "INSERT INTO change_counters (tenant_id, seq) VALUES ($1, 1) ON CONFLICT (tenant_id) DO NOTHING", [t.id]),
    row("deletions", "INSERT INTO deletions (tenant_id, seq, entity, entity_id) VALUES ($1, 1000000, 'tag', $2)", [t.id, randomUUID()]),
    row("sync_clients", "INSERT INTO sync_clients (tenant_id, id, user_id, name) VALUES ($1, $2, $3, 'laptop')", [t.id, t.clientId, t.userId]),
    row(
      "sync_mutations",
      "INSERT INTO sync_mutations (tenant_id, client_id, mutation_id, status) VALUES ($1, $2, 1, 'applied')",
      [t.id, t.clientId],
    ),
    row(
      "timesheets",
      "INSERT INTO timesheets (tenant_id, id, user_id, period_start, period_end, status) VALUES ($1, $2, $3, '2025-01-06', '2025-01-13', 'SUBMITTED')",
      [t.id, randomUUID(), t.userId],
    ),
    row("notifications", "INSERT INTO notifications (tenant_id, id, user_id, kind, title) VALUES ($1, $2, $3, 'weekly', 'Summary')", [
      t.id,
      randomUUID(),
      t.userId,
    ]),
    row(
      "attachments",
      `INSERT INTO attachments (tenant_id, id, entry_id, user_id, uploaded_by, original_name, size_bytes, content_type, sha256, storage_key)
       VALUES ($1, $2, $3, $4, $4, 'receipt.pdf', 4, 'application/pdf', repeat('a', 64), replace(gen_random_uuid()::text, '-', ''))`,
      [t.id, randomUUID(), t.entryId, t.userId],
    ),
    row("storage_deletions", "INSERT INTO storage_deletions (tenant_id, storage_key) VALUES ($1, replace(gen_random_uuid()::text, '-', ''))", [t.id]),
    row(
      "held_rows",
      `INSERT INTO held_rows (tenant_id, id, invitation_id, kind, project_id, task_id, payload) VALUES ($1, $2, $3, 'entry', $4, $5, '{}')`,
      [t.id, randomUUID(), t.invitationId, t.projectId, t.taskId],
    ),
  ];
}

async function createUser(session: SqlSession, t: Tenant) {
  await session.query("INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'Someone', 'x')", [
    t.userId,
    `user-${t.userId}@example.test`,
  ]);
}

async function seed(session: SqlSession, t: Tenant) {
  await createUser(session, t);
  for (const { sql, params } of rowsOf(t)) await session.query(sql, params);
}

/** Row counts per tenant table, as `session` sees them. */
async function countsAs(session: SqlSession): Promise<Record<TenantTable, number>> {
  const counts = {} as Record<TenantTable, number>;
  for (const table of TENANT_TABLES) {
    const [row] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = row!.n;
  }
  return counts;
}

const each = (n: number) => Object.fromEntries(TENANT_TABLES.map((t) => [t, n]));

async function setTenant(session: SqlSession, tenantId: string) {
  await session.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
}

let db: RawDatabase;
const a = newTenant();
const b = newTenant();

beforeAll(async () => {
  db = await openRawDatabase();
  await seed(db.superuser, a);
  await seed(db.superuser, b);
});
afterAll(async () => {
  await db?.close();
});

describe("the app role with no tenant context", () => {
  it("runs as a role that row-level security applies to", async () => {
    const [me] = await db.app.query<{ name: string; rolsuper: boolean; rolbypassrls: boolean }>(
      "SELECT current_user::text AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    );
    expect(me).toEqual({ name: "hoursync_app", rolsuper: false, rolbypassrls: false });
  });

  it("reads every tenant table as empty, although each holds rows of two tenants", async () => {
    expect(await countsAs(db.superuser)).toEqual(each(2));
    expect(await countsAs(db.app)).toEqual(each(0));
  });

  it("treats an empty tenant setting as no tenant", async () => {
    const counts = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, "");
      return countsAs(db.app);
    });
    expect(counts).toEqual(each(0));
  });

  it("cannot insert into any tenant table (the same rows insert fine inside that tenant's context)", async () => {
    const c = newTenant();
    await createUser(db.superuser, c);
    const refused: Record<string, string | null> = {};
    for (const { table, sql, params } of rowsOf(c)) refused[table] = await sqlStateOf(db.app.query(sql, params));
    expect(refused).toEqual(Object.fromEntries(TENANT_TABLES.map((t) => [t, INSUFFICIENT_PRIVILEGE])));

    // Control: the very same statements are valid once the tenant is set.
    const inserted = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, c.id);
      for (const { sql, params } of rowsOf(c)) await db.app.execute(sql, params);
      return countsAs(db.app);
    });
    expect(inserted).toEqual(each(1));
    expect(await countsAs(db.superuser)).toEqual(each(2));
  });

  it("updates and deletes no row of any tenant table", async () => {
    const changed: Record<string, number> = {};
    for (const table of TENANT_TABLES) {
      changed[`update ${table}`] = await db.app.execute(`UPDATE ${table} SET tenant_id = tenant_id`);
      changed[`delete ${table}`] = await db.app.execute(`DELETE FROM ${table}`);
    }
    expect(Object.values(changed).every((n) => n === 0), JSON.stringify(changed)).toBe(true);
    expect(await countsAs(db.superuser)).toEqual(each(2));
  });
});

describe("the app role inside tenant A's context", () => {
  it("sees exactly A's rows in every tenant table", async () => {
    const seen = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, a.id);
      const out: Record<string, { tenant: string; n: number }[]> = {};
      for (const table of TENANT_TABLES) {
        out[table] = await db.app.query(`SELECT tenant_id::text AS tenant, count(*)::int AS n FROM ${table} GROUP BY 1`);
      }
      return out;
    });
    expect(seen).toEqual(Object.fromEntries(TENANT_TABLES.map((t) => [t, [{ tenant: a.id, n: 1 }]])));
  });

  it("changes only A's rows: B's are out of reach for updates and deletes", async () => {
    const changed = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, a.id);
      return {
        updateAll: await db.app.execute("UPDATE projects SET name = 'renamed'"),
        updateB: await db.app.execute("UPDATE projects SET name = 'renamed' WHERE tenant_id = $1", [b.id]),
        deleteB: await db.app.execute("DELETE FROM audit_events WHERE tenant_id = $1", [b.id]),
      };
    });
    expect(changed).toEqual({ updateAll: 1, updateB: 0, deleteB: 0 });
    expect(await countsAs(db.superuser)).toEqual(each(2));
  });

  it("cannot write a row for B, nor move one of A's rows to B", async () => {
    const insertForB = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, a.id);
      return sqlStateOf(db.app.query("INSERT INTO tags (tenant_id, id, name) VALUES ($1, $2, 'Planted')", [b.id, randomUUID()]));
    });
    const moveToB = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, a.id);
      return sqlStateOf(db.app.query("UPDATE audit_events SET tenant_id = $1", [b.id]));
    });
    expect({ insertForB, moveToB }).toEqual({ insertForB: INSUFFICIENT_PRIVILEGE, moveToB: INSUFFICIENT_PRIVILEGE });
  });

  it("loses the context when the transaction ends (set_config is transaction-local)", async () => {
    await db.app.query("BEGIN");
    await setTenant(db.app, a.id);
    const [inside] = await db.app.query<{ n: number }>("SELECT count(*)::int AS n FROM projects");
    await db.app.query("COMMIT");
    const [after] = await db.app.query<{ n: number }>("SELECT count(*)::int AS n FROM projects");
    expect({ inside: inside!.n, after: after!.n }).toEqual({ inside: 1, after: 0 });
  });
});

describe("the directory context (which workspaces am I in?)", () => {
  it("shows a user their own memberships and those workspaces, nothing else, and allows no write", async () => {
    const result = await inRolledBackTransaction(db.app, async () => {
      await db.app.query("SELECT set_config('app.directory_user_id', $1, true)", [a.userId]);
      return {
        counts: await countsAs(db.app),
        memberships: await db.app.query("SELECT tenant_id::text AS tenant, user_id::text AS user FROM memberships"),
        workspaces: await db.app.query("SELECT tenant_id::text AS tenant FROM workspaces"),
        insert: await sqlStateOf(
          db.app.query("INSERT INTO memberships (tenant_id, id, user_id, role) VALUES ($1, $2, $3, 'OWNER')", [b.id, randomUUID(), a.userId]),
        ),
      };
    });
    expect(result).toEqual({
      counts: { ...each(0), memberships: 1, workspaces: 1 },
      memberships: [{ tenant: a.id, user: a.userId }],
      workspaces: [{ tenant: a.id }],
      insert: INSUFFICIENT_PRIVILEGE,
    });
  });
});

/**
 * The RLS functions are PARALLEL SAFE (0004), so PostgreSQL may run a query
 * under RLS in parallel workers. Forcing every query into a worker shows
 * the policy there sees the leader's tenant setting, and no setting means
 * no rows, in workers too.
 */
describe("parallel query workers", () => {
  const pglite = testDbKind() === "pglite";
  if (pglite) console.info("[skip] parallel workers: PGlite runs in one process and launches none");
  async function forceParallel(session: SqlSession) {
    // PostgreSQL 16 renamed force_parallel_mode to debug_parallel_query.
    const [setting] = await session.query<{ name: string }>(
      "SELECT name FROM pg_settings WHERE name IN ('debug_parallel_query', 'force_parallel_mode')",
    );
    await session.query(`SELECT set_config($1, 'on', true)`, [setting!.name]);
  }

  async function workersLaunched(session: SqlSession, sql: string): Promise<number> {
    const [row] = await session.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`);
    const launched = JSON.stringify(row!["QUERY PLAN"]).match(/"Workers Launched":\s*(\d+)/);
    return launched ? Number(launched[1]) : 0;
  }

  it("see exactly the session's tenant in every tenant table, and nothing without one", async () => {
    const inA = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, a.id);
      await forceParallel(db.app);
      return countsAs(db.app);
    });
    const inNone = await inRolledBackTransaction(db.app, async () => {
      await forceParallel(db.app);
      return countsAs(db.app);
    });
    expect(inA).toEqual(each(1));
    expect(inNone).toEqual(each(0));
  });

  it.skipIf(pglite)("really run the query in a worker (PostgreSQL only: PGlite has no parallel workers)", async () => {
    const launched = await inRolledBackTransaction(db.app, async () => {
      await setTenant(db.app, a.id);
      await forceParallel(db.app);
      return workersLaunched(db.app, "SELECT count(*) FROM time_entries");
    });
    expect(launched).toBeGreaterThan(0);
  });
});
