import { randomUUID } from "node:crypto";
import { createWorkspace } from "../../server/src/auth/new-workspace.js";
import { createSession } from "../../server/src/auth/sessions.js";
import type { PrismaClient } from "../../server/src/db/generated/client.js";
import { bulkLoad, type Exec } from "../reports.js";

/**
 * The load benchmark's people and data, written straight through the
 * server's own database handle (the app role, one tenant transaction per
 * statement, RLS applying): sign-ups through HTTP would take minutes and
 * measure the password hash. Sessions are real ones, so every timed call
 * goes through the whole authentication path.
 */

export type LoadRole = "OWNER" | "MANAGER" | "EMPLOYEE";

export interface LoadUser {
  userId: string;
  token: string;
  role: LoadRole;
}

export interface LoadWorkspace {
  id: string;
  users: LoadUser[];
  projectIds: string[];
}

export interface LoadFixture {
  workspaces: LoadWorkspace[];
  /** A workspace with a year of a large team, whose owner runs the heaviest report (null when not seeded). */
  heavy: { id: string; token: string; entries: number } | null;
}

export interface SeedOptions {
  workspaces: number;
  usersPerWorkspace: number;
  /** People in the heavy workspace (each a year of weekday entries); 0 = none. */
  heavyPeople: number;
}

const PROJECTS = 5;
/** Seeded history: the weekdays of November 2026, four entries a day per person. */
const HISTORY_FROM = "2026-11-02";
const HISTORY_TO = "2026-12-01";

/** Runs one statement in `tenantId`'s context (set_config first, as every tenant transaction does). */
function tenantExec(prisma: PrismaClient, tenantId: string): Exec {
  return (sql, params) =>
    prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
        return tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
}

function roleOf(i: number): LoadRole {
  if (i === 0) return "OWNER";
  return i === 1 ? "MANAGER" : "EMPLOYEE";
}

async function seedWorkspace(prisma: PrismaClient, n: number, perWorkspace: number): Promise<LoadWorkspace> {
  const userIds = Array.from({ length: perWorkspace }, () => randomUUID());
  await prisma.$executeRawUnsafe(
    `INSERT INTO users (id, email, name, password_hash)
     SELECT u::uuid, 'load-' || u || '@bench.test', 'Load person ' || o, 'no login'
     FROM unnest($1::text[]) WITH ORDINALITY AS a(u, o)`,
    userIds,
  );
  const tenantId = await createWorkspace(prisma, userIds[0]!, `Load ${n + 1}`);
  const exec = tenantExec(prisma, tenantId);
  await exec(`UPDATE workspaces SET rate_limit_per_minute = 1200, user_rate_limit_per_minute = 300 WHERE tenant_id = $1::uuid`, [tenantId]);
  await exec(
    `INSERT INTO memberships (tenant_id, id, user_id, role)
     SELECT $1::uuid, gen_random_uuid(), u::uuid, r::"Role"
     FROM unnest($2::text[], $3::text[]) AS a(u, r)`,
    [tenantId, userIds.slice(1), userIds.slice(1).map((_, i) => roleOf(i + 1))] as never,
  );
  const projectIds = Array.from({ length: PROJECTS }, () => randomUUID());
  await exec(
    `INSERT INTO projects (tenant_id, id, name, billable, hourly_rate_cents)
     SELECT $1::uuid, p::uuid, 'Project ' || o, o % 2 = 1, 6000 + o * 500
     FROM unnest($2::text[]) WITH ORDINALITY AS a(p, o)`,
    [tenantId, projectIds] as never,
  );
  // Four entries a weekday for each person (change numbers stamped by the trigger, as for any write).
  await exec(
    `INSERT INTO time_entries (tenant_id, id, user_id, project_id, start_at, end_at, billable, description)
     SELECT $1::uuid, gen_random_uuid(), u::uuid, ($3::text[])[1 + (o + k) % cardinality($3::text[])]::uuid,
            d + make_interval(hours => 8 + 2 * k), d + make_interval(hours => 9 + 2 * k), k % 2 = 0, 'Earlier work ' || k
     FROM unnest($2::text[]) WITH ORDINALITY AS a(u, o)
     CROSS JOIN generate_series($4::date, $5::date - 1, interval '1 day') AS d
     CROSS JOIN generate_series(0, 3) AS k
     WHERE extract(isodow FROM d) < 6`,
    [tenantId, userIds, projectIds, HISTORY_FROM, HISTORY_TO] as never,
  );
  const users: LoadUser[] = [];
  for (const [i, userId] of userIds.entries()) {
    const { token } = await createSession(prisma, userId, 24, "bench:load");
    users.push({ userId, token, role: roleOf(i) });
  }
  return { id: tenantId, users, projectIds };
}

/** A workspace with `people` people and a year of their entries (the reports benchmark's data). */
async function seedHeavy(prisma: PrismaClient, people: number): Promise<NonNullable<LoadFixture["heavy"]>> {
  const ownerId = randomUUID();
  await prisma.$executeRawUnsafe(`INSERT INTO users (id, email, name, password_hash) VALUES ($1::uuid, $2, 'Heavy owner', 'no login')`, ownerId, `heavy-${ownerId}@bench.test`);
  const tenantId = await createWorkspace(prisma, ownerId, "Heavy reporter");
  const exec = tenantExec(prisma, tenantId);
  // Inside its request budget whatever it does: what protects the others must be something else.
  await exec(`UPDATE workspaces SET rate_limit_per_minute = 100000, user_rate_limit_per_minute = 100000 WHERE tenant_id = $1::uuid`, [tenantId]);
  const projectIds = Array.from({ length: 40 }, () => randomUUID());
  await exec(
    `INSERT INTO projects (tenant_id, id, name, billable) SELECT $1::uuid, p::uuid, 'Project ' || o, o % 5 <> 0
     FROM unnest($2::text[]) WITH ORDINALITY AS a(p, o)`,
    [tenantId, projectIds] as never,
  );
  const tagIds = Array.from({ length: 4 }, () => randomUUID());
  await exec(`INSERT INTO tags (tenant_id, id, name) SELECT $1::uuid, t::uuid, 'tag ' || o FROM unnest($2::text[]) WITH ORDINALITY AS a(t, o)`, [
    tenantId,
    tagIds,
  ] as never);
  const [seqRow] = await exec(`SELECT COALESCE((SELECT seq FROM change_counters WHERE tenant_id = $1::uuid), 0)::text AS seq`, [tenantId]);
  const entries = await bulkLoad(exec, {
    tenantId,
    users: people,
    projectIds,
    tagIds,
    changeSeqBase: Number(seqRow!.seq) + 1,
    usersPerStatement: 10,
  });
  const { token } = await createSession(prisma, ownerId, 24, "bench:load");
  return { id: tenantId, token, entries };
}

export async function seedLoad(prisma: PrismaClient, opts: SeedOptions): Promise<LoadFixture> {
  const workspaces: LoadWorkspace[] = [];
  for (let n = 0; n < opts.workspaces; n++) workspaces.push(await seedWorkspace(prisma, n, opts.usersPerWorkspace));
  const heavy = opts.heavyPeople > 0 ? await seedHeavy(prisma, opts.heavyPeople) : null;
  return { workspaces, heavy };
}
