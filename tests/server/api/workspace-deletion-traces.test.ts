/**
 * Deleting a workspace leaves no trace of it: after the owner deletes a
 * workspace full of data, its id is looked for in every column of every
 * table (read from the catalog), in the storage's file and folder names (a
 * local folder, and an S3 bucket on s3rver), in the tenant cache and in the rate-limit counters (memory, and Redis when
 * it answers). The only thing left is the deletion record outside the
 * tenant. A neighbouring workspace, and a person who belongs to both, keep
 * everything.
 */
import { randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantKey } from "../../../server/src/cache/keys.js";
import { memoryBackend, type LimiterBackend } from "../../../server/src/rate-limit/backend.js";
import { adminRows } from "../../support/admin-rows.js";
import { fillWorkspace } from "../../support/filled-workspace.js";
import { TEST_PASSWORD } from "../../support/people.js";
import { readyRedisBackend, REDIS_URL, uniqueRedisPrefix, dropRedisKeys } from "../../support/redis.js";
import { startTestS3, type TestS3 } from "../../support/s3-server.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";
import { staffCompany, UNLIMITED, UNLIMITED_ENV, workspaceContents, type StaffedCompany } from "../../support/staffed-company.js";

interface Hit {
  table: string;
  column: string;
  rows: number;
}

/**
 * Every (table, column) of the public schema whose text form contains
 * `needle`: uuid, text, varchar and json columns, read from the catalog so a
 * table added later is searched too. Reads as the superuser, past RLS.
 */
async function tracesInTables(server: TestServer, needle: string): Promise<Hit[]> {
  const columnsSql = `
    SELECT c.relname::text AS "table", a.attname::text AS "column"
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND format_type(a.atttypid, a.atttypmod) ~ '^(uuid|text|character varying|jsonb?)'
    ORDER BY 1, 2`;
  const hits: Hit[] = [];
  const search = async (query: <T>(sql: string, params?: unknown[]) => Promise<T[]>) => {
    const columns = await query<{ table: string; column: string }>(columnsSql);
    expect(columns.length).toBeGreaterThan(40);
    for (const { table, column } of columns) {
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE position($1 in lower("${column}"::text)) > 0`,
        [needle.toLowerCase()],
      );
      if (row!.n > 0) hits.push({ table, column, rows: row!.n });
    }
  };
  if (server.adminUrl) {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      await search(async <T>(sql: string, params?: unknown[]) => (await admin.query(sql, params)).rows as T[]);
    } finally {
      await admin.end();
    }
    return hits;
  }
  // PGlite: one session whose user is the superuser; step up for this transaction only.
  const prisma = server.services.db.prisma;
  const audited = server.statements.length;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL ROLE postgres");
    await search(<T>(sql: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params));
  });
  // These reads are the test's, past the walls on purpose: not the server's statements to audit.
  server.statements.length = audited;
  return hits;
}

/** Every file and folder name under `root`, relative to it. */
async function namesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.map((e) => e.split(path.sep).join("/"));
}

const backends: { label: string; files: "a folder" | "an S3 bucket"; make: () => Promise<{ backend: LimiterBackend; keysOf: (needle: string) => Promise<string[]>; done: () => Promise<void> } | string> }[] = [
  {
    label: "memory",
    files: "a folder",
    make: async () => {
      const backend = memoryBackend();
      return { backend, keysOf: async () => [], done: async () => {} };
    },
  },
  {
    label: "memory",
    files: "an S3 bucket",
    make: async () => {
      const backend = memoryBackend();
      return { backend, keysOf: async () => [], done: async () => {} };
    },
  },
  {
    label: "Redis",
    files: "a folder",
    make: async () => {
      const prefix = uniqueRedisPrefix("hs-erase");
      const backend = await readyRedisBackend(prefix).catch((err: unknown) => `Redis at ${REDIS_URL} is not reachable (${String(err)})`);
      if (typeof backend === "string") return backend;
      const keysOf = async (needle: string) => {
        const redis = new Redis(REDIS_URL);
        try {
          return (await redis.keys(`${prefix}:*`)).filter((k) => k.includes(needle));
        } finally {
          redis.disconnect();
        }
      };
      return { backend, keysOf, done: () => dropRedisKeys(prefix) };
    },
  },
];

describe.each(backends)("deleting a workspace (rate limits in $label, files in $files)", ({ label, files: where, make }) => {
  let server: TestServer;
  let s3: TestS3 | undefined;
  let limiter: Awaited<ReturnType<typeof make>>;
  let doomed: StaffedCompany;
  let neighbour: StaffedCompany;

  beforeAll(async () => {
    limiter = await make();
    if (typeof limiter === "string") {
      console.warn(`Skipping the ${label} run of workspace-deletion-traces: ${limiter}`);
      return;
    }
    if (where === "an S3 bucket") s3 = await startTestS3();
    server = await startTestServer({ limiterBackend: limiter.backend, env: { ...UNLIMITED_ENV, ...s3?.env } });
    doomed = await staffCompany(server, "Doomed");
    neighbour = await staffCompany(server, "Neighbour");
    await fillWorkspace(doomed);
    await fillWorkspace(neighbour);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await s3?.close();
    if (typeof limiter !== "string") await limiter?.done();
  });

  it("leaves only the deletion record, and the neighbour keeps everything", async (ctx) => {
    if (typeof limiter === "string") return ctx.skip();
    const id = doomed.workspaceId;
    // Every stored name: paths under the folder, or object keys in the bucket.
    const storedNames = () => (s3 ? s3.keys() : namesUnder(server.services.attachments.root!));
    const owner = doomed.people.OWNER;

    // A person in both workspaces, and a sign-up waiting to join the doomed one through an invitation.
    const both = await neighbour.make.member("EMPLOYEE");
    const bothInDoomed = await doomed.owner.api.members.invite.mutate({ email: both.email, role: "EMPLOYEE" });
    await server.client({ token: both.token }).auth.acceptInvitation.mutate({ token: bothInDoomed.token });
    const pendingEmail = `pending-${randomUUID()}@example.test`;
    const pending = await doomed.owner.api.members.invite.mutate({ email: pendingEmail, role: "EMPLOYEE" });
    await server.client().auth.signUp.mutate({ email: pendingEmail, password: TEST_PASSWORD, name: "Pending", invitationToken: pending.token });

    // A weekly run in which both workspaces failed: its report names them (job_runs is global).
    const runKey = `test-${randomUUID()}`;
    await adminRows(server, `INSERT INTO job_runs (job, run_key, report) VALUES ('weekly-summary', $1, jsonb_build_object('tenants', 2, 'failed', jsonb_build_array($2::text, $3::text))) RETURNING job`, [runKey, id, neighbour.workspaceId]);

    // Before: the id is everywhere the test is about to look.
    expect((await tracesInTables(server, id)).length).toBeGreaterThan(10);
    expect((await storedNames()).some((n) => n.includes(id))).toBe(true);
    expect(server.services.cache.holds(id)).toBe(true);
    const tenantCounter = memoryCounter(limiter.backend, "req-tenant", UNLIMITED.rateLimitPerMinute);
    if (label === "memory") expect(await tenantCounter.get(tenantKey(id, "requests"))).not.toBeNull();
    else expect((await limiter.keysOf(id)).length).toBeGreaterThan(0);
    const neighbourBefore = await workspaceContents(neighbour.owner.api);

    const before = Date.now();
    await owner.api.workspace.delete.mutate({ confirmName: doomed.name });

    // Rows: the deletion record and nothing else.
    const hits = await tracesInTables(server, id);
    expect(hits).toEqual([{ table: "workspace_deletions", column: "workspace_id", rows: 1 }]);
    const [record] = await adminRows(server, `SELECT deleted_by_user_id::text AS "by", deleted_at AS "at" FROM workspace_deletions WHERE workspace_id = $1`, [id]);
    expect(record!.by).toBe(owner.userId);
    expect(new Date(record!.at as string).getTime()).toBeGreaterThanOrEqual(before - 1000);

    // The run's report still names the neighbour, and only it.
    const [run] = await adminRows(server, `SELECT report FROM job_runs WHERE run_key = $1`, [runKey]);
    expect(run!.report).toEqual({ tenants: 2, failed: [neighbour.workspaceId] });

    // Files, cache, counters.
    expect((await storedNames()).filter((n) => n.includes(id))).toEqual([]);
    expect(server.services.cache.holds(id)).toBe(false);
    expect(await tenantCounter.get(tenantKey(id, "requests"))).toBeNull();
    expect(await limiter.keysOf(id)).toEqual([]);

    // Sessions: still signed in, but the workspace is gone for everyone who was in it.
    for (const person of [...Object.values(doomed.people), both]) {
      const api = server.client({ token: person.token, workspaceId: id });
      expect(await errorCodeOf(api.workspace.get.query())).toBe("NOT_FOUND");
      expect(await errorCodeOf(api.entries.list.query({}))).toBe("NOT_FOUND");
    }
    // Asking again leaves nothing either (a refusal is logged in a workspace's own log, and there is none).
    expect(await tracesInTables(server, id)).toEqual(hits);
    expect(await limiter.keysOf(id)).toEqual([]);

    // The neighbour, and the person in both, keep everything.
    expect(await workspaceContents(neighbour.owner.api)).toEqual(neighbourBefore);
    expect((await storedNames()).some((n) => n.includes(neighbour.workspaceId))).toBe(true);
    await server.client({ token: both.token, workspaceId: neighbour.workspaceId }).workspace.get.query();
  }, 120_000);
});

/** The memory limiter the server spends workspace budgets from (the same instance: same spec, same backend). */
function memoryCounter(backend: LimiterBackend, name: string, points: number) {
  return backend.limiter({ name, points, durationSeconds: 60 });
}
