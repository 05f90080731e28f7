import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodOf } from "../../../server/src/contract/periods.js";
import { migrate } from "../../../server/src/db/migrate.js";
import { postgresAdmin } from "../../../server/src/db/sql-admin.js";
import { WEEKLY_SUMMARY } from "../../../server/src/jobs/weekly-summary.js";
import { DEMO_PASSWORD } from "../../../server/src/seed/demo.js";
import { rawCall, rawErrorCode } from "../../support/api.js";
import { createScratchDatabase, testDbKind, type ScratchDatabase } from "../../support/database.js";
import { createDevice, removeDeviceFiles } from "../../support/device.js";
import { dropRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../../support/redis.js";
import { startServerProcess, type ServerProcess } from "../../support/server-process.js";
import { apiClient } from "../../support/server.js";

/**
 * Two real server processes (`tsx server/src/main.ts serve`, each on its own port) on one
 * scratch PostgreSQL database and one Redis (a key prefix of their own), as two replicas
 * behind a load balancer: limits, sync, the weekly job and the report cache hold across them.
 */
const onPostgres = testDbKind() === "postgres";
if (!onPostgres) console.log("two-processes.test.ts skipped on PGlite: an embedded database belongs to one process; this suite runs on PostgreSQL");

const METRICS_TOKEN = "two-processes-metrics-token";
const HOUR = 3_600_000;
/** The lowest per-minute limit workspace.update accepts. */
const LIMIT = 10;

let scratch: ScratchDatabase;
let dataDir: string;
let prefix: string;
let a: ServerProcess;
let b: ServerProcess;
/** The superuser on the scratch database: sees every row, changes data behind the servers' backs. */
let admin: pg.Client;

/** This week's run key of the weekly summary (what a process claims in job_runs). */
const thisWeek = () => periodOf(new Date(), { kind: "WEEK", weekStartsOn: 1, timezone: "UTC" }).start;

describe.skipIf(!onPostgres)("two server processes on one PostgreSQL and one Redis (PostgreSQL only)", () => {
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "hoursync-two-"));
    prefix = uniqueRedisPrefix("hs-two");
    const migrations = await postgresAdmin(scratch.adminUrl);
    try {
      await migrate(migrations);
    } finally {
      await migrations.close();
    }
    admin = new pg.Client({ connectionString: scratch.adminUrl });
    await admin.connect();
    // This week's summary is held back (claimed) until both processes are up; the job test releases it.
    await admin.query("INSERT INTO job_runs (job, run_key) VALUES ($1, $2)", [WEEKLY_SUMMARY, thisWeek()]);
    const env = {
      DATABASE_URL: scratch.appUrl,
      MIGRATION_DATABASE_URL: scratch.adminUrl,
      DATA_DIR: dataDir,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      PASSWORD_COST: "low",
      LOG_LEVEL: "info",
      DB_POOL_MAX: "4",
      WEEKLY_SUMMARY: "on",
      JOB_CHECK_EVERY_MS: "1000",
      METRICS_TOKEN,
    };
    // One seeds the demo data; both then serve the same database.
    a = await startServerProcess({ ...env, SEED_DEMO: "auto" });
    b = await startServerProcess({ ...env, SEED_DEMO: "never" });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await admin?.end();
    await scratch?.drop();
    await dropRedisKeys(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(email: string, via: ServerProcess, workspaceName: string) {
    const { token } = await apiClient(via.url).auth.logIn.mutate({ email, password: DEMO_PASSWORD });
    const list = await apiClient(via.url, { token }).auth.workspaces.query();
    const ws = list.find((w) => w.name === workspaceName);
    if (!ws) throw new Error(`${email} is not in ${workspaceName}`);
    return { token, workspaceId: ws.workspaceId, via: (p: ServerProcess) => apiClient(p.url, { token, workspaceId: ws.workspaceId }) };
  }

  it("a workspace's request limit holds across both: the sum of accepted calls stays within it", async () => {
    const owner = await signIn("owner@globex.test", a, "Globex Consulting");
    await owner.via(a).workspace.update.mutate({ rateLimitPerMinute: LIMIT }); // spends one call
    const accepted = { a: 0, b: 0 };
    const refused = { a: 0, b: 0 };
    for (let i = 0; i < 3 * LIMIT; i++) {
      const [name, p] = i % 2 === 0 ? (["a", a] as const) : (["b", b] as const);
      const res = await rawCall(p.url, "projects.list", { token: owner.token, workspaceId: owner.workspaceId, input: {} });
      if (res.status === 200) {
        accepted[name]++;
        continue;
      }
      expect(res.status).toBe(429);
      expect(rawErrorCode(res)).toBe("TOO_MANY_REQUESTS");
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60).toBe(true);
      refused[name]++;
    }
    // One budget for the workspace, not one per process (that would accept about twice as many).
    expect(accepted.a + accepted.b).toBe(LIMIT - 1);
    expect(accepted.a).toBeGreaterThan(0);
    expect(accepted.b).toBeGreaterThan(0);
    expect(refused.a).toBeGreaterThan(0);
    expect(refused.b).toBeGreaterThan(0);
  });

  it("one device whose requests alternate between the processes (each push delivered to both, one answer lost) converges", async () => {
    const SERVER = "http://hoursync.test";
    let turn = 0;
    let loseNextPushAnswer = true;
    const alternating: typeof fetch = async (input, init) => {
      const url = String(input);
      const [here, there] = turn++ % 2 === 0 ? [a, b] : [b, a];
      if (!url.includes("sync.push")) return fetch(url.replace(SERVER, here.url), init);
      // A retried request reaching the other replica at the same moment: decided once.
      const [res] = await Promise.all([fetch(url.replace(SERVER, here.url), init), fetch(url.replace(SERVER, there.url), init).then((r) => r.arrayBuffer())]);
      if (loseNextPushAnswer) {
        loseNextPushAnswer = false;
        await res.arrayBuffer();
        throw new TypeError("fetch failed: the response was lost");
      }
      return res;
    };
    const device = createDevice({ serverUrl: SERVER, fetch: alternating, random: () => 0 });
    try {
      const employee = await signIn("employee@acme.test", a, "Acme Studio");
      await device.core.logIn({ serverUrl: SERVER, email: "employee@acme.test", password: DEMO_PASSWORD });
      device.core.selectWorkspace(employee.workspaceId);
      const scope = () => device.core.scope();
      const from = Date.UTC(2030, 2, 4);
      const window = { from, to: from + 100 * HOUR };
      const slot = (n: number) => ({ start: from + n * 2 * HOUR, end: from + n * 2 * HOUR + HOUR });

      const made = [0, 1, 2, 3, 4, 5].map((n) => device.core.tracker.createManual(scope(), { ...slot(n), description: `entry ${n}` }).id);
      await device.core.syncNow().catch(() => undefined); // its answer is lost: pushed, but the device does not know
      device.core.tracker.update(scope(), made[0]!, { description: "edited once" });
      device.core.tracker.remove(scope(), made[1]!);
      await device.core.syncNow();
      device.core.tracker.update(scope(), made[0]!, { description: "edited twice", billable: false });
      device.core.tracker.update(scope(), made[2]!, { description: "edited elsewhere?" });
      device.core.tracker.createManual(scope(), { ...slot(6), description: "entry 6" });
      for (let i = 0; i < 4 && device.core.syncStatus(employee.workspaceId).pending > 0; i++) await device.core.syncNow();
      await device.core.syncNow();

      expect(device.core.syncStatus(employee.workspaceId)).toMatchObject({ pending: 0, rejected: [] });
      const comparable = (list: { id: string; start: number; end: number | null; description: string; billable: boolean }[]) =>
        Object.fromEntries([...list].sort((x, y) => x.id.localeCompare(y.id)).map((e) => [e.id, [e.start, e.end, e.description, e.billable]]));
      const local = comparable(device.core.tracker.list(scope(), window));
      for (const p of [a, b]) {
        const onServer = await employee.via(p).entries.list.query({ from: new Date(window.from), to: new Date(window.to), page: { limit: 500, cursor: 0 } });
        expect(comparable(onServer.items.map((e) => ({ ...e, start: e.start.getTime(), end: e.end ? e.end.getTime() : null })))).toEqual(local);
      }
      expect(Object.keys(local)).toHaveLength(6);
      expect(local[made[0]!]?.[2]).toBe("edited twice");
      expect(local[made[1]!]).toBeUndefined();
    } finally {
      device.close();
      removeDeviceFiles(device);
    }
  });

  it("a report cached in one process is dropped there when an entry changes through the other", async () => {
    const owner = await signIn("owner@acme.test", a, "Acme Studio");
    const day = Date.UTC(2031, 5, 2);
    const report = { from: new Date(day), to: new Date(day + 24 * HOUR), groupBy: "project" as const };
    const hours = async (p: ServerProcess) => (await owner.via(p).reports.summary.query(report)).totals.seconds / 3600;
    const entry = await owner.via(a).entries.create.mutate({ start: new Date(day + 9 * HOUR), end: new Date(day + 10 * HOUR) });
    expect(await hours(a)).toBe(1);

    // Changed behind both processes' backs (no invalidation): A answers from its cache, B computes afresh.
    await admin.query("UPDATE time_entries SET end_at = end_at + interval '1 hour' WHERE id = $1", [entry.id]);
    expect(await hours(a)).toBe(1);
    expect(await hours(b)).toBe(2);

    // Changed through B: A's cached report goes.
    await owner.via(b).entries.update.mutate({ id: entry.id, end: new Date(day + 12 * HOUR) });
    expect(await hours(a)).toBe(3);
    // And the other way round: B's cached report goes when A writes.
    expect(await hours(b)).toBe(3);
    await owner.via(a).entries.update.mutate({ id: entry.id, end: new Date(day + 13 * HOUR) });
    expect(await hours(b)).toBe(4);
  });

  it("the weekly summary runs once when both processes are due at the same moment", async () => {
    const managers = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM memberships WHERE role IN ('OWNER', 'ADMIN', 'MANAGER')");
    const expected = managers.rows[0]!.n;
    expect(expected).toBeGreaterThan(0);
    // Both processes look every second; releasing the claim makes the run due in both at once.
    await admin.query("DELETE FROM job_runs WHERE job = $1", [WEEKLY_SUMMARY]);
    const done = async () =>
      (await admin.query("SELECT 1 FROM job_runs WHERE job = $1 AND run_key = $2 AND finished_at IS NOT NULL", [WEEKLY_SUMMARY, thisWeek()])).rowCount === 1;
    for (let i = 0; i < 150 && !(await done()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await done()).toBe(true);
    // A few more ticks of both: neither runs it again.
    await new Promise((r) => setTimeout(r, 2_500));

    const runs = await admin.query("SELECT run_key FROM job_runs WHERE job = $1", [WEEKLY_SUMMARY]);
    expect(runs.rows).toEqual([{ run_key: thisWeek() }]);
    const notes = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE kind = $1", [WEEKLY_SUMMARY]);
    expect(notes.rows[0]!.n).toBe(expected);
    const mails = [a, b].map((p) => p.logLines().filter((l) => String(l.subject ?? "").startsWith("Hoursync: Week of")).length);
    expect(mails[0]! + mails[1]!).toBe(expected);

    // Both tried (each counts its runs): one ran it, every other attempt found it claimed.
    const counts = await Promise.all([a, b].map((p) => jobRuns(p)));
    expect(counts[0]!.ran + counts[1]!.ran).toBe(1);
    expect(counts[0]!.skipped).toBeGreaterThan(0);
    expect(counts[1]!.skipped).toBeGreaterThan(0);
  });
});

/** The process's weekly-summary runs by outcome, from its /metrics. */
async function jobRuns(p: ServerProcess): Promise<{ ran: number; skipped: number }> {
  const res = await fetch(`${p.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  const count = (outcome: string) =>
    Number(new RegExp(`^hoursync_job_runs_total\\{job="weekly-summary",outcome="${outcome}"\\} (\\d+)`, "m").exec(text)?.[1] ?? 0);
  return { ran: count("ran"), skipped: count("skipped") };
}
