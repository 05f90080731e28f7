import { randomBytes } from "node:crypto";
import pg from "pg";
import type { serverClient } from "../apps/desktop/src/core/sync/server-transport.js";
import type { Grouping } from "../server/src/contract/reports.js";
import { percentile } from "./stats.js";
import { signUpOwner, startServer, type BenchServer } from "./sync-throughput.js";

/**
 * Report latency over one year of a 200-person workspace (~418,000 entries):
 * reports.summary over real HTTP as the owner. The catalogue (clients,
 * projects, tags, rates) goes through the API; people and their year of
 * entries are bulk-loaded with SQL, which takes seconds instead of hours.
 */

export interface ReportCase {
  /** What was asked: the grouping, and the filter if any. */
  name: string;
  /** Rows in the answer. */
  groups: number;
  /** The first run: a cache miss, computed on a freshly loaded database. */
  firstMs: number;
  /** Median of the following runs, each with a slightly different range so each is computed. */
  computedMedianMs: number;
  /** Median of repeats of one input: answered from the server's tenant cache. */
  cachedMedianMs: number;
}

export interface ReportFigures {
  database: string;
  users: number;
  entries: number;
  /** Seconds the SQL bulk load took (people, memberships, entries, tags; on PostgreSQL also VACUUM ANALYZE). */
  loadSeconds: number;
  cases: ReportCase[];
  /** Why the dataset differs from the full one, if it does. */
  note?: string;
}

const YEAR_FROM = "2025-01-01";
const YEAR_TO = "2026-01-01";
const TIMEZONE = "Europe/Berlin";
/** The workspace's year in its own time zone: 2025-01-01 00:00 to 2026-01-01 00:00 in Berlin. */
const RANGE_FROM = new Date("2024-12-31T23:00:00.000Z");
const RANGE_TO = new Date("2025-12-31T23:00:00.000Z");

/** Runs of each report: computed ones (each a cache miss) and repeats of the last (cache hits). */
export const COMPUTED_RUNS = 6;
export const CACHED_RUNS = 5;
const CLIENTS = 10;
const PROJECTS = 40;
const TAGS = 6;

/** Runs one bulk-load statement; `params` are strings and numbers, cast in the SQL. */
export type Exec = (sql: string, params: (string | number)[]) => Promise<Record<string, unknown>[]>;

/** Per-user uuids derived from a run nonce, so every statement can name the same people. */
const userIdSql = (n: string) => `md5('u' || $2 || '-' || ${n})::uuid`;
const membershipIdSql = (n: string) => `md5('m' || $2 || '-' || ${n})::uuid`;
const idArraySql = (param: string) =>
  `(SELECT array_agg(x::uuid ORDER BY o) FROM jsonb_array_elements_text(${param}::jsonb) WITH ORDINALITY AS a(x, o))`;

/**
 * $1 tenant, $2 nonce, $3 first user number, $4 last user number, $5 project ids (JSON),
 * $6 first day, $7 day after the last, $8 time zone, $9 change sequence base.
 * Weekdays only, 8 entries a day from 08:00 local: slot k starts 0-9 minutes
 * after 08:00 + k hours and lasts 20-50 minutes, so a person's entries never
 * overlap. Each person works on 4 projects; 10% of entries have none;
 * 80% of those on a billable project are billable.
 */
const ENTRIES_SQL = `
  WITH p AS (SELECT ${idArraySql("$5")} AS ids),
  slots AS (
    SELECT n, d::date AS day, k, random() AS r1, random() AS r2, random() AS r3, random() AS r4
    FROM generate_series($3::int, $4::int) AS n
    CROSS JOIN generate_series($6::date, $7::date - 1, interval '1 day') AS d
    CROSS JOIN generate_series(0, 7) AS k
    WHERE extract(isodow FROM d) < 6
  ),
  e AS (
    SELECT s.n, s.k, s.r4,
           CASE WHEN s.r1 < 0.1 THEN NULL
                ELSE p.ids[1 + (s.n * 7 + floor((s.r1 - 0.1) / 0.9 * 4)::int * 11) % cardinality(p.ids)] END AS project_id,
           ((s.day + time '08:00') + make_interval(mins => s.k * 60 + floor(s.r2 * 10)::int)) AT TIME ZONE $8 AS start_at,
           make_interval(mins => 20 + floor(s.r3 * 31)::int) AS length
    FROM slots s, p
  )
  INSERT INTO time_entries (tenant_id, id, user_id, project_id, start_at, end_at, billable, description, updated_at, change_seq)
  SELECT $1::uuid, gen_random_uuid(), ${userIdSql("e.n")}, e.project_id, e.start_at, e.start_at + e.length,
         COALESCE(pr.billable, false) AND e.r4 < 0.8, 'Work item ' || (e.k + 1), now(),
         $9::bigint + row_number() OVER ()
  FROM e LEFT JOIN projects pr ON pr.tenant_id = $1::uuid AND pr.id = e.project_id`;

/** Loads the people and their year; returns how many entries the tenant has. */
export async function bulkLoad(
  exec: Exec,
  opts: { tenantId: string; users: number; projectIds: string[]; tagIds: string[]; changeSeqBase: number; usersPerStatement: number },
): Promise<number> {
  const nonce = randomBytes(6).toString("hex");
  const { tenantId, users } = opts;
  await exec(
    `INSERT INTO users (id, email, name, password_hash)
     SELECT ${userIdSql("n")}, 'member-' || n || '-' || $2 || '@bench.test', 'Member ' || lpad(n::text, 3, '0'), 'no login'
     FROM generate_series(1, $3::int) AS n
     WHERE $1::uuid IS NOT NULL -- (every statement gets the tenant as $1)`,
    [tenantId, nonce, users],
  );
  // Every fourth person has a personal rate.
  await exec(
    `INSERT INTO memberships (tenant_id, id, user_id, role, hourly_rate_cents)
     SELECT $1::uuid, ${membershipIdSql("n")}, ${userIdSql("n")}, 'EMPLOYEE',
            CASE WHEN n % 4 = 0 THEN 5000 + (n % 7) * 500 END
     FROM generate_series(1, $3::int) AS n`,
    [tenantId, nonce, users],
  );
  // Each person is a member of the 4 projects they book on; every fifth has a rate on the first.
  await exec(
    `WITH p AS (SELECT ${idArraySql("$4")} AS ids)
     INSERT INTO project_members (tenant_id, project_id, membership_id, hourly_rate_cents)
     SELECT $1::uuid, p.ids[1 + (n * 7 + i * 11) % cardinality(p.ids)], ${membershipIdSql("n")},
            CASE WHEN i = 0 AND n % 5 = 0 THEN 9000 END
     FROM generate_series(1, $3::int) AS n CROSS JOIN generate_series(0, 3) AS i CROSS JOIN p`,
    [tenantId, nonce, users, JSON.stringify(opts.projectIds)],
  );
  let base = opts.changeSeqBase;
  for (let lo = 1; lo <= users; lo += opts.usersPerStatement) {
    const hi = Math.min(users, lo + opts.usersPerStatement - 1);
    await exec(ENTRIES_SQL, [tenantId, nonce, lo, hi, JSON.stringify(opts.projectIds), YEAR_FROM, YEAR_TO, TIMEZONE, base]);
    base += (hi - lo + 1) * 8 * 366;
  }
  // One tag on a fifth of the entries.
  await exec(
    `WITH t AS (SELECT ${idArraySql("$2")} AS ids)
     INSERT INTO time_entry_tags (tenant_id, entry_id, tag_id)
     SELECT e.tenant_id, e.id, t.ids[1 + floor(random() * cardinality(t.ids))::int]
     FROM time_entries e, t
     WHERE e.tenant_id = $1::uuid AND random() < 0.2`,
    [tenantId, JSON.stringify(opts.tagIds)],
  );
  // Stamped change sequences (set explicitly when the stamping trigger is off) stay below the counter.
  await exec(
    `INSERT INTO change_counters (tenant_id, seq) VALUES ($1::uuid, $2::bigint)
     ON CONFLICT (tenant_id) DO UPDATE SET seq = GREATEST(change_counters.seq, EXCLUDED.seq)`,
    [tenantId, base],
  );
  const [row] = await exec("SELECT count(*)::int AS n FROM time_entries WHERE tenant_id = $1::uuid", [tenantId]);
  return Number(row!.n);
}

/**
 * PostgreSQL: a superuser connection to the scratch database, with triggers
 * (change stamping, FK checks) off for the load; the data is consistent by
 * construction and change sequences are set explicitly. Then VACUUM ANALYZE,
 * as autovacuum would have done on a year-old table.
 */
async function loadPostgres(adminUrl: string, opts: Omit<Parameters<typeof bulkLoad>[1], "changeSeqBase" | "usersPerStatement">) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string }>("SELECT seq FROM change_counters WHERE tenant_id = $1", [opts.tenantId]);
    await client.query("SET session_replication_role = replica");
    await client.query("BEGIN");
    const entries = await bulkLoad(async (sql, params) => (await client.query(sql, params)).rows, {
      ...opts,
      changeSeqBase: Number(rows[0]?.seq ?? 0),
      usersPerStatement: opts.users,
    });
    await client.query("COMMIT");
    await client.query("SET session_replication_role = DEFAULT");
    await client.query("VACUUM ANALYZE users, memberships, project_members, time_entries, time_entry_tags, projects, clients");
    return entries;
  } finally {
    await client.end();
  }
}

/**
 * PGlite has a single session, already stepped down to the app role: load
 * through the server's own handle, one transaction per few people with the
 * tenant set (RLS applies, the stamping trigger runs). Then the server's
 * embedded analyze runs once, as its schedule would within a minute.
 */
async function loadPglite(server: BenchServer, opts: Omit<Parameters<typeof bulkLoad>[1], "changeSeqBase" | "usersPerStatement">) {
  const { prisma, analyzeChangedTables } = server.services.db;
  const entries = await bulkLoad(
    (sql, params) =>
      prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT set_config('app.tenant_id', ${opts.tenantId}, true)`;
          return tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
        },
        { timeout: 600_000, maxWait: 10_000 },
      ),
    { ...opts, changeSeqBase: 0, usersPerStatement: 5 },
  );
  // Statistics reach the counters analyze reads at the end of a later transaction.
  await prisma.$executeRaw`SELECT pg_stat_force_next_flush()`;
  await prisma.$queryRaw`SELECT 1`;
  const analyzed = await analyzeChangedTables!();
  if (!analyzed.includes("public.time_entries")) throw new Error(`embedded analyze skipped time_entries (${analyzed.join(", ")})`);
  return entries;
}

/**
 * A long load (PGlite runs in this process and blocks it) can outlast the
 * server's keep-alive timeout: the first request on a pooled socket then
 * meets a reset. One health check, retried, takes that hit before timing.
 */
async function dropStaleSockets(url: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await (await fetch(`${url}/healthz`)).arrayBuffer();
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** The reports timed: every grouping over the whole year, and one filtered case. */
function reportCases(projectIds: string[]): { name: string; input: { groupBy: Grouping; projectIds?: string[]; billable?: boolean } }[] {
  const groupings: Grouping[] = ["day", "week", "project", "client", "user"];
  return [
    ...groupings.map((groupBy) => ({ name: `by ${groupBy}`, input: { groupBy } })),
    { name: "by user, 3 projects, billable only", input: { groupBy: "user" as const, projectIds: projectIds.slice(0, 3), billable: true } },
  ];
}

/** A running server with a loaded workspace: what the timings (or an investigation) need. */
export interface ReportWorkspace {
  server: BenchServer;
  api: ReturnType<typeof serverClient>;
  tenantId: string;
  users: number;
  projectIds: string[];
  entries: number;
  loadSeconds: number;
  /** The owner's e-mail (password: OWNER_PASSWORD), to sign a desktop app in. */
  ownerEmail: string;
}

export const OWNER_PASSWORD = "benchmark password";

/**
 * Starts a server, sets the catalogue up through the API and bulk-loads the
 * people and their year. The caller stops `server`.
 */
export async function prepareReportWorkspace(kind: "postgres" | "pglite", users: number): Promise<ReportWorkspace> {
  const server = await startServer(kind);
  try {
    const { api, ...signup } = await signUpOwner(server, "Bench Reports");
    await api.workspace.update.mutate({
      timezone: TIMEZONE,
      currency: "EUR",
      hourlyRateCents: 6000,
      rateLimitPerMinute: 100_000,
      userRateLimitPerMinute: 100_000,
    });

    const clientIds: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      clientIds.push((await api.clients.create.mutate({ name: `Client ${i + 1}` })).id);
    }
    // 36 client projects (every third with its own rate, every fifth not billable), 4 internal ones.
    const projectIds: string[] = [];
    for (let i = 0; i < PROJECTS; i++) {
      const internal = i >= PROJECTS - 4;
      const project = await api.projects.create.mutate({
        name: internal ? `Internal ${i + 1}` : `Project ${i + 1}`,
        clientId: internal ? null : clientIds[i % CLIENTS]!,
        billable: !internal && i % 5 !== 0,
        hourlyRateCents: i % 3 === 0 ? 7000 + (i % 4) * 1500 : null,
      });
      projectIds.push(project.id);
    }
    const tagIds: string[] = [];
    for (const name of ["meeting", "review", "support", "travel", "research", "overtime"].slice(0, TAGS)) {
      tagIds.push((await api.tags.create.mutate({ name })).id);
    }

    const loadOpts = { tenantId: signup.workspaceId, users, projectIds, tagIds };
    const t0 = performance.now();
    const entries = kind === "postgres" ? await loadPostgres(server.adminUrl!, loadOpts) : await loadPglite(server, loadOpts);
    const loadSeconds = (performance.now() - t0) / 1000;
    await dropStaleSockets(server.url);
    return { server, api, tenantId: signup.workspaceId, users, projectIds, entries, loadSeconds, ownerEmail: signup.email };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * Each report as the owner over real HTTP: the first run, the median of
 * further computed runs, and the median of cache hits.
 */
export async function benchReports(kind: "postgres" | "pglite", opts: { users?: number } = {}): Promise<ReportFigures> {
  // PGlite loads through the app role with the change trigger on: a tenth of the people keeps it short.
  const users = opts.users ?? (kind === "postgres" ? 200 : 20);
  const { server, api, projectIds, entries, loadSeconds } = await prepareReportWorkspace(kind, users);
  try {
    const cases: ReportCase[] = [];
    let shift = 0;
    let yearSeconds: number | null = null;
    for (const c of reportCases(projectIds)) {
      const computed: number[] = [];
      let groups = 0;
      let input = { ...c.input, from: RANGE_FROM, to: RANGE_TO };
      const before = server.services.cache.stats();
      for (let i = 0; i < COMPUTED_RUNS; i++) {
        // A new `to` each run (one more millisecond, still after every entry) is a new cache key.
        input = { ...c.input, from: RANGE_FROM, to: new Date(RANGE_TO.getTime() + shift++) };
        const t = performance.now();
        const summary = await api.reports.summary.query(input);
        computed.push(performance.now() - t);
        groups = summary.groups.length;
        if (!c.input.projectIds) {
          if (yearSeconds !== null && Math.abs(summary.totals.seconds - yearSeconds) > 1) {
            throw new Error(`${c.name}: total ${summary.totals.seconds} s differs from ${yearSeconds} s`);
          }
          yearSeconds = summary.totals.seconds;
        }
      }
      const middle = server.services.cache.stats();
      const cached: number[] = [];
      for (let i = 0; i < CACHED_RUNS; i++) {
        const t = performance.now();
        await api.reports.summary.query(input);
        cached.push(performance.now() - t);
      }
      const after = server.services.cache.stats();
      if (middle.hits !== before.hits || after.hits - middle.hits !== CACHED_RUNS) {
        throw new Error(`${c.name}: computed runs must miss the report cache and repeats hit it`);
      }
      if (c.input.groupBy === "user" && !c.input.projectIds && groups !== users) {
        throw new Error(`${c.name}: ${groups} groups for ${users} people`);
      }
      cases.push({
        name: c.name,
        groups,
        firstMs: computed[0]!,
        computedMedianMs: percentile(computed.slice(1), 50),
        cachedMedianMs: percentile(cached, 50),
      });
    }

    return {
      database: kind === "postgres" ? "PostgreSQL 15 (127.0.0.1)" : "PGlite (embedded)",
      users,
      entries,
      loadSeconds,
      cases,
      ...(users !== 200
        ? {
            note:
              kind === "pglite"
                ? `${users} people, not 200: PGlite has one session, so the load goes through the app role with the change trigger on; ` +
                  "then the embedded analyze ran once, as its schedule would within a minute"
                : `${users} people, not 200`,
          }
        : {}),
    };
  } finally {
    await server.stop();
  }
}
