/**
 * Backup and restore on PostgreSQL with the documented scripts (README, "Backup and restore"):
 * scripts/backup.sh dumps a database holding two workspaces as an owner role that bypasses RLS,
 * scripts/restore.sh restores it into a new database as that role; then the data is the same,
 * row-level security is still enabled and forced with its policies on every tenant table, the app
 * role still sees one tenant at a time, and a server started on the restored database serves it.
 */
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/src/config.js";
import { buildHttpServer } from "../../../server/src/http/server.js";
import { createServices, type RunningServices } from "../../../server/src/services.js";
import { at } from "../../support/api.js";
import { PG_ADMIN_URL, testDbKind } from "../../support/database.js";
import { createCompany, type Company } from "../../support/people.js";
import { TENANT_TABLES } from "../../support/query-audit.js";
import { apiClient, errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");
const onPostgres = testDbKind() === "postgres";
if (!onPostgres) {
  console.info("backup-restore.test.ts: skipped on PGlite: pg_dump and pg_restore work against a PostgreSQL server (the embedded database is backed up by copying its data folder while the server is stopped)");
}

const suffix = randomBytes(4).toString("hex");
const OWNER = `hs_owner_${suffix}`;
const RESTORED = `hs_restored_${suffix}`;

function urlFor(database: string, user: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  u.username = user;
  return u.toString();
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every table of the database with its row count and a digest of its rows (read as the superuser). */
async function contents(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const { rows: tables } = await c.query<{ t: string }>(
      `SELECT relname::text AS t FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = 'public' AND r.relkind IN ('r', 'p') ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    for (const { t } of tables) {
      const { rows } = await c.query<{ n: string; digest: string }>(
        `SELECT count(*)::text AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS digest FROM "${t}" x`,
      );
      out[t] = `${rows[0]!.n} rows ${rows[0]!.digest}`;
    }
    return out;
  });
}

/** The database wall as the catalog says it: RLS enabled, forced, policies, per tenant table. */
async function walls(url: string) {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ t: string; rls: boolean; forced: boolean; policies: string[] }>(`
      SELECT r.relname::text AS t, r.relrowsecurity AS rls, r.relforcerowsecurity AS forced,
             coalesce((SELECT array_agg(p.polname::text || ':' || pg_get_expr(p.polqual, p.polrelid) ORDER BY p.polname) FROM pg_policy p WHERE p.polrelid = r.oid), '{}') AS policies
      FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE n.nspname = 'public' AND r.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
      ORDER BY 1`);
    return rows;
  });
}

describe.skipIf(!onPostgres)("backup and restore on PostgreSQL", () => {
  let source: TestServer;
  let acme: Company;
  let globex: Company;
  let acmeEntryIds: string[];
  let dir: string;
  let dumpFile: string;
  let sourceDb: string;

  beforeAll(async () => {
    source = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
    sourceDb = new URL(source.adminUrl!).pathname.slice(1);
    acme = await createCompany(source, "Acme");
    globex = await createCompany(source, "Globex");
    for (const [company, hours] of [
      [acme, [9, 11, 14]],
      [globex, [8, 10]],
    ] as const) {
      const project = await company.owner.api.projects.create.mutate({ name: `Project ${randomUUID().slice(0, 6)}` });
      const tag = await company.owner.api.tags.create.mutate({ name: "billable-work" });
      const worker = await company.hire("EMPLOYEE", "worker");
      for (const h of hours) {
        await company.owner.api.entries.create.mutate({ start: at("2026-03-10", h), end: at("2026-03-10", h + 1), projectId: project.id, tagIds: [tag.id], description: `work at ${h}` });
        await worker.api.entries.create.mutate({ start: at("2026-03-11", h), end: at("2026-03-11", h + 1), projectId: project.id });
      }
      await worker.api.timesheets.submit.mutate({ periodStart: "2026-03-09" });
    }
    acmeEntryIds = (await acme.owner.api.entries.list.query({})).items.map((e) => e.id).sort();

    // The owner role as a deployment has it: not a superuser, bypasses RLS (as the migrations' role must).
    await withClient(PG_ADMIN_URL, async (c) => {
      await c.query(`CREATE ROLE ${OWNER} LOGIN NOSUPERUSER BYPASSRLS`);
      // The source tables belong to the superuser the test migrated them with; the owner role reads them all.
      await c.query(`GRANT pg_read_all_data TO ${OWNER}`);
      await c.query(`CREATE DATABASE ${RESTORED} OWNER ${OWNER}`);
    });
    dir = await mkdtemp(path.join(tmpdir(), "hoursync-backup-"));
    dumpFile = path.join(dir, "hoursync.dump");
  });

  afterAll(async () => {
    await source?.close();
    await withClient(PG_ADMIN_URL, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${RESTORED} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${OWNER}`);
    });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses to back up as a role that RLS applies to (it would miss other workspaces' rows)", async () => {
    const refused = await run("bash", [path.join(ROOT, "scripts/backup.sh"), urlFor(sourceDb, "hoursync_app"), path.join(dir, "app.dump")]).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain("does not bypass row-level security");
  });

  it("backs up with a pg_dump at least as new as the server, and restores into a new database as the owner role", async () => {
    const backup = await run("bash", [path.join(ROOT, "scripts/backup.sh"), urlFor(sourceDb, OWNER), dumpFile]);
    const [, server, dump] = /server PostgreSQL (\d+), pg_dump (\d+)/.exec(backup.stdout) ?? [];
    const serverMajor = await withClient(PG_ADMIN_URL, async (c) => Math.floor(Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000));
    expect(Number(server)).toBe(serverMajor);
    expect(Number(dump)).toBeGreaterThanOrEqual(serverMajor);

    const restore = await run("bash", [path.join(ROOT, "scripts/restore.sh"), dumpFile, urlFor(RESTORED, OWNER)]);
    expect(restore.stdout).toContain(`forced, with policies, on ${TENANT_TABLES.length} tenant tables`);
    // Every restored table belongs to the owner role, none to the app role.
    const owners = await withClient(urlFor(RESTORED, OWNER), async (c) =>
      (await c.query<{ owner: string }>(`SELECT DISTINCT pg_get_userbyid(relowner)::text AS owner FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = 'public' AND r.relkind = 'r'`)).rows.map((r) => r.owner),
    );
    expect(owners).toEqual([OWNER]);
  });

  it("restores every row of every table", async () => {
    const before = await contents(source.adminUrl!);
    const after = await contents(urlFor(RESTORED, "postgres"));
    expect(after).toEqual(before);
    expect(before.time_entries).toMatch(/^10 rows/);
    expect(before.workspaces).toMatch(/^2 rows/);
  });

  it("keeps RLS enabled and forced, with the same policies, on every tenant table", async () => {
    const restored = await walls(urlFor(RESTORED, "postgres"));
    expect(restored.map((w) => w.t)).toEqual([...TENANT_TABLES].sort());
    expect(restored.filter((w) => !w.rls || !w.forced || w.policies.length === 0)).toEqual([]);
    expect(restored).toEqual(await walls(source.adminUrl!));
  });

  it("lets the app role see only the tenant it names, and nothing without one", async () => {
    await withClient(urlFor(RESTORED, "hoursync_app"), async (c) => {
      const count = async (table: string) => Number((await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
      expect(await count("time_entries")).toBe(0);
      await c.query("BEGIN");
      await c.query("SELECT set_config('app.tenant_id', $1, true)", [acme.workspaceId]);
      const seen = await c.query<{ tenant_id: string }>("SELECT DISTINCT tenant_id::text FROM time_entries");
      expect(seen.rows.map((r) => r.tenant_id)).toEqual([acme.workspaceId]);
      expect(await count("time_entries")).toBe(6);
      expect(await count("workspaces")).toBe(1);
      // A write into the other tenant is refused by the policy.
      const refused = await c
        .query("INSERT INTO tags (tenant_id, id, name) VALUES ($1, $2, 'sneaky')", [globex.workspaceId, randomUUID()])
        .then(() => null, (e: { code?: string }) => e.code);
      expect(refused).toBe("42501");
      await c.query("ROLLBACK");
    });
  });

  it("serves the restored database: migrations up to date, sessions valid, each company its own data", async () => {
    const config = loadConfig({
      DATABASE_URL: urlFor(RESTORED, "hoursync_app"),
      MIGRATION_DATABASE_URL: urlFor(RESTORED, OWNER),
      DATA_DIR: "memory://",
      PASSWORD_COST: "low",
      LOG_LEVEL: "silent",
      DB_POOL_MAX: "2",
    } as NodeJS.ProcessEnv);
    let services: RunningServices | null = null;
    let app: FastifyInstance | null = null;
    try {
      services = await createServices(config);
      app = await buildHttpServer(services);
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      const acmeOwner = apiClient(url, { token: acme.owner.token, workspaceId: acme.workspaceId });
      expect((await acmeOwner.entries.list.query({})).items.map((e) => e.id).sort()).toEqual(acmeEntryIds);
      const intruder = apiClient(url, { token: globex.owner.token, workspaceId: acme.workspaceId });
      expect(await errorCodeOf(intruder.entries.list.query({}))).toBe("NOT_FOUND");
    } finally {
      await app?.close();
      await services?.close();
    }
  });

  it("refuses to restore into a database that already has tables", async () => {
    const refused = await run("bash", [path.join(ROOT, "scripts/restore.sh"), dumpFile, urlFor(RESTORED, OWNER)]).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain("already has");
  });
});
