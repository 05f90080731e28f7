/**
 * Pool leakage: with a pool of ONE connection, every tenant's transactions
 * take turns on the same session. Nothing one tenant set there may survive
 * into the next request, whether the previous one committed or failed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, withTenantMember } from "../../../server/src/db/tenant.js";
import { createCompany, type Company } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";
import { staffCompany, UNLIMITED_ENV, type StaffedCompany } from "../../support/staffed-company.js";

const ONE_CONNECTION = { ...UNLIMITED_ENV, DB_POOL_MAX: "1" };
const ROUNDS = 8;

describe("interleaved requests of two tenants on one connection", () => {
  let server: TestServer;
  let a: StaffedCompany;
  let b: StaffedCompany;

  beforeAll(async () => {
    server = await startTestServer({ env: ONE_CONNECTION });
    a = await staffCompany(server, "Acme");
    b = await staffCompany(server, "Bolt");
  });
  afterAll(async () => {
    await server?.close();
  });

  /** What is wrong with one answer given to `me` (empty when it is only mine). */
  function problemsWith(answer: unknown, me: StaffedCompany, other: StaffedCompany, what: string): string[] {
    const text = JSON.stringify(answer);
    const problems: string[] = [];
    if (text.includes(other.workspaceId) || text.includes(other.marker)) problems.push(`${me.marker} got ${other.marker}'s data from ${what}`);
    return problems;
  }

  /** One tenant's mixed workload: writes, reads, and calls that fail (so their transactions roll back). */
  function workload(me: StaffedCompany, other: StaffedCompany, otherProject: { id: string }, round: number): Promise<string[]>[] {
    const owner = me.owner.api;
    const employee = me.people.EMPLOYEE.api;
    const check = async (what: string, call: Promise<unknown>, also?: (answer: never) => string[]) => {
      const answer = await call;
      return [...problemsWith(answer, me, other, what), ...(also?.(answer as never) ?? [])];
    };
    const mine = (rows: { tenantId: string }[], what: string) =>
      rows.length > 0 && rows.every((r) => r.tenantId === me.workspaceId) ? [] : [`${what} was not all ${me.marker}'s`];
    const slot = me.make.slot();
    return [
      check("projects.create", owner.projects.create.mutate({ name: `${me.marker} pooled ${round}` }), (p: { tenantId: string }) =>
        mine([p], "created project"),
      ),
      check("projects.list", owner.projects.list.query({ page: { limit: 500, cursor: 0 } }), (l: { items: { tenantId: string }[] }) =>
        mine(l.items, "project list"),
      ),
      // The same hour twice: one entry is booked, the other is an overlap the database refuses (a rolled-back transaction).
      Promise.allSettled([
        employee.entries.create.mutate({ ...slot, description: `${me.marker} pooled ${round}` }),
        employee.entries.create.mutate({ ...slot, description: `${me.marker} pooled ${round} again` }),
      ]).then(async (results) => {
        const booked = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
        const refused = await Promise.all(
          results.flatMap((r) => (r.status === "rejected" ? [errorCodeOf(Promise.reject(r.reason))] : [])),
        );
        return [
          ...problemsWith(booked, me, other, "entries.create"),
          ...(booked.length === 1 ? mine(booked, "booked entry") : [`${booked.length} of two overlapping entries were booked`]),
          ...(refused.join() === "CONFLICT" ? [] : [`the overlap in ${me.marker} answered ${refused.join()}`]),
        ];
      }),
      check("entries.list", owner.entries.list.query({ page: { limit: 500, cursor: 0 } }), (l: { items: { tenantId: string }[] }) =>
        mine(l.items, "entry list"),
      ),
      check("workspace.get", owner.workspace.get.query(), (w: { id: string }) =>
        w.id === me.workspaceId ? [] : [`workspace.get answered ${w.id}`],
      ),
      check("members.list", owner.members.list.query()),
      check("auth.workspaces", owner.auth.workspaces.query(), (ws: { workspaceId: string }[]) =>
        ws.length === 1 && ws[0]!.workspaceId === me.workspaceId ? [] : ["the directory answered other workspaces"],
      ),
      // The other tenant's project by id: NOT_FOUND, and its transaction rolls back.
      errorCodeOf(owner.projects.get.query({ id: otherProject.id })).then((code) =>
        code === "NOT_FOUND" ? [] : [`${me.marker} reading the other's project answered ${code}`],
      ),
    ];
  }

  it("answers every one of many concurrent, mixed requests with the caller's data only", async () => {
    // Something in every list before the storm, so "only mine" is never vacuous.
    const aProject = await a.make.project();
    const bProject = await b.make.project();
    await a.make.entry();
    await b.make.entry();
    const calls: Promise<string[]>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      calls.push(...workload(a, b, bProject, round), ...workload(b, a, aProject, round));
    }
    const problems = (await Promise.all(calls)).flat();
    expect(problems).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(100);

    // And afterwards each side holds exactly what it made.
    const aNames = (await a.owner.api.projects.list.query({ page: { limit: 500, cursor: 0 } })).items.map((p) => p.name);
    expect(aNames.filter((n) => n.includes("pooled"))).toHaveLength(ROUNDS);
    expect(aNames.every((n) => n.startsWith(a.marker))).toBe(true);
  });

  it("really ran on a single database connection", async () => {
    const { prisma, kind } = server.services.db;
    if (kind === "pglite") {
      // PGlite is one session by construction.
      const [me] = await prisma.$queryRaw<{ user: string }[]>`SELECT current_user::text AS "user"`;
      expect(me!.user).toBe("hoursync_app");
      return;
    }
    const [sessions] = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user`;
    expect(sessions!.n).toBe(1);
  });
});

describe("the single connection after a tenant transaction", () => {
  // This server runs deliberately unscoped probes, so its statements are not audited.
  let server: TestServer;
  let a: Company;
  let b: Company;

  beforeAll(async () => {
    server = await startTestServer({ env: ONE_CONNECTION, skipQueryAudit: true });
    a = await createCompany(server, "Acme");
    b = await createCompany(server, "Bolt");
    await a.owner.api.projects.create.mutate({ name: "Only project" });
    await b.owner.api.projects.create.mutate({ name: "Bolt's project" });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** What an unscoped query on the pool's one connection sees. */
  async function unscopedView() {
    const [view] = await server.services.db.prisma.$queryRaw<{ tenant: string; projects: number; memberships: number; pid: number }[]>`
      SELECT coalesce(current_setting('app.tenant_id', true), '') AS tenant,
             (SELECT count(*)::int FROM projects) AS projects,
             (SELECT count(*)::int FROM memberships) AS memberships,
             pg_backend_pid() AS pid`;
    return view!;
  }

  it("sees nothing once a tenant transaction has committed", async () => {
    const inside = await withTenant(server.services.db.prisma, a.workspaceId, async (db) => {
      const [session] = await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      return { projects: await db.project.count({ where: { tenantId: a.workspaceId } }), pid: session!.pid };
    });
    expect(inside.projects).toBe(1);
    expect(await unscopedView()).toEqual({ tenant: "", projects: 0, memberships: 0, pid: inside.pid });
  });

  it("sees nothing once a tenant transaction has rolled back", async () => {
    const failure = new Error("roll back");
    const rejected = withTenant(server.services.db.prisma, a.workspaceId, async (db) => {
      await db.project.count({ where: { tenantId: a.workspaceId } });
      throw failure;
    });
    await expect(rejected).rejects.toBe(failure);
    expect(await unscopedView()).toMatchObject({ tenant: "", projects: 0, memberships: 0 });
  });

  it("enters a tenant and reads the caller's membership in one statement, for members only, and leaves nothing behind", async () => {
    const { prisma } = server.services.db;
    const enter = (userId: string) =>
      withTenantMember(prisma, a.workspaceId, userId, async (db, membership) => {
        const [seen] = await db.$queryRaw<{ projects: number; memberships: number }[]>`
          SELECT (SELECT count(*)::int FROM projects) AS projects, (SELECT count(*)::int FROM memberships) AS memberships`;
        return { membership, seen };
      });
    const member = await enter(a.owner.userId);
    expect(member.membership).toMatchObject({ role: "OWNER", tenantPerMinute: expect.any(Number), userPerMinute: expect.any(Number) });
    // Under the tenant set by that statement: Acme's rows only (its one project, its owner).
    expect(member.seen).toEqual({ projects: 1, memberships: 1 });
    expect(await unscopedView()).toMatchObject({ tenant: "", projects: 0, memberships: 0 });
    // Bolt's owner is no member of Acme: no membership, and still nothing of Bolt's in view.
    const outsider = await enter(b.owner.userId);
    expect(outsider.membership).toBeNull();
    expect(outsider.seen).toEqual(member.seen);
    expect(await unscopedView()).toMatchObject({ tenant: "", projects: 0, memberships: 0 });
  });

  it("sees nothing after a real request of the tenant, successful or refused", async () => {
    expect((await a.owner.api.projects.list.query({})).items).toHaveLength(1);
    expect(await unscopedView()).toMatchObject({ tenant: "", projects: 0, memberships: 0 });
    expect(await errorCodeOf(a.owner.api.projects.get.query({ id: a.workspaceId }))).toBe("NOT_FOUND");
    expect(await unscopedView()).toMatchObject({ tenant: "", projects: 0, memberships: 0 });
  });
});
