import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type TenantTxOptions } from "../../../server/src/db/tenant.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at } from "../../support/api.js";
import { testDbKind } from "../../support/database.js";
import { createCompany, type Company } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";
import { UNLIMITED, UNLIMITED_ENV } from "../../support/staffed-company.js";

/**
 * A company running its heaviest report in a loop, inside its request
 * budget, gets a few places for reports at once and a short line behind
 * them; beyond, TOO_MANY_REQUESTS with a retry hint. Its neighbours are
 * never refused. The places are held here through the server's own gate
 * (what a long report would do), so nothing depends on how fast a report is.
 */
const PLACES = 2;
const LINE = 2;
const STATEMENT_TIMEOUT_MS = 1_500;

let server: TestServer;
let heavy: Company;
let neighbour: Company;
let outsider: Company;
let run = 0;

/** A report nobody asked before (so it is computed, not served from the cache). */
const freshReport = (c: Company) =>
  c.owner.api.reports.summary.query({ from: at("2026-01-01", 0), to: at("2026-02-01", 0, ++run % 60), groupBy: "day" });

beforeAll(async () => {
  server = await startTestServer({
    env: {
      ...UNLIMITED_ENV,
      HEAVY_MAX_PER_WORKSPACE: String(PLACES),
      HEAVY_QUEUE_PER_WORKSPACE: String(LINE),
      // Long: a call in line is released by the test, never by the clock.
      HEAVY_QUEUE_WAIT_MS: "120000",
      HEAVY_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    },
  });
  heavy = await createCompany(server, "Heavy");
  neighbour = await createCompany(server, "Neighbour");
  outsider = await createCompany(server, "Outsider");
  for (const c of [heavy, neighbour, outsider]) {
    await c.owner.api.workspace.update.mutate(UNLIMITED);
    await c.owner.api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 11), description: "work" });
  }
}, 120_000);
afterAll(async () => {
  await server.close();
});

/** Waits (without a deadline of its own) until `n` reports of the heavy company stand in line. */
async function lineHolds(n: number) {
  while (server.services.heavy.gate.usage(heavy.workspaceId).waiting !== n) await new Promise((r) => setTimeout(r, 10));
}

describe("places for heavy reads, per workspace", () => {
  it("with its places taken, a company's next reports wait in line; a full line is refused with a retry hint; the neighbour is not", async () => {
    const { gate } = server.services.heavy;
    const held = [await gate.take(heavy.workspaceId), await gate.take(heavy.workspaceId)];
    const inLine = Array.from({ length: LINE }, () => freshReport(heavy));
    await lineHolds(LINE);

    const refused = await rejectionOf(freshReport(heavy));
    expect(refused.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.data?.httpStatus).toBe(429);
    expect((refused.data as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);

    // The same refusal over plain HTTP carries Retry-After.
    const input = encodeURIComponent(JSON.stringify({ json: { from: at("2026-01-01", 0), to: at("2026-03-01", 0), groupBy: "week" } }));
    const raw = await fetch(`${server.url}/trpc/reports.summary?input=${input}`, {
      headers: { authorization: `Bearer ${heavy.owner.token}`, [WORKSPACE_HEADER]: heavy.workspaceId },
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    // The neighbour's reports, and the heavy company's other calls, go through meanwhile.
    for (let i = 0; i < 3; i++) expect((await freshReport(neighbour)).groups.length).toBeGreaterThan(0);
    expect(await errorCodeOf(heavy.owner.api.entries.list.query({}))).toBeNull();

    // A freed place goes to the line: every waiting report is answered.
    for (const release of held) release();
    for (const report of await Promise.all(inLine)) expect(report.groups.length).toBeGreaterThan(0);
    expect(gate.usage(heavy.workspaceId)).toEqual({ running: 0, waiting: 0 });
  });

  it("someone outside a workspace cannot stand in its line: refused as not found, never queued", async () => {
    const { gate } = server.services.heavy;
    const held = [await gate.take(heavy.workspaceId), await gate.take(heavy.workspaceId)];
    try {
      const intruder = server.client({ token: outsider.owner.token, workspaceId: heavy.workspaceId });
      expect(await errorCodeOf(intruder.reports.summary.query({ from: at("2026-01-01", 0), to: at("2026-02-01", 0), groupBy: "day" }))).toBe("NOT_FOUND");
      expect(gate.usage(heavy.workspaceId).waiting).toBe(0);
    } finally {
      for (const release of held) release();
    }
  });

  it("the CSV export of report totals takes the same places: 429 with Retry-After when the line is full", async () => {
    const { gate } = server.services.heavy;
    const held = [await gate.take(heavy.workspaceId), await gate.take(heavy.workspaceId)];
    const inLine = Array.from({ length: LINE }, () => freshReport(heavy));
    await lineHolds(LINE);
    try {
      const res = await fetch(`${server.url}/export/report.csv?from=2026-01-01&to=2026-02-01&groupBy=project`, {
        headers: { authorization: `Bearer ${heavy.owner.token}`, [WORKSPACE_HEADER]: heavy.workspaceId },
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const neighbourCsv = await fetch(`${server.url}/export/report.csv?from=2026-01-01&to=2026-02-01&groupBy=project`, {
        headers: { authorization: `Bearer ${neighbour.owner.token}`, [WORKSPACE_HEADER]: neighbour.workspaceId },
      });
      expect(neighbourCsv.status).toBe(200);
      expect(await neighbourCsv.text()).toContain("hours");
    } finally {
      for (const release of held) release();
      await Promise.all(inLine);
    }
  });
});

describe("statement timeout of heavy reads", () => {
  it.runIf(testDbKind() === "postgres")(
    "a report whose statement runs past HEAVY_STATEMENT_TIMEOUT_MS is stopped and answered TIMEOUT with reason STATEMENT_TIMEOUT",
    async () => {
      // A lock held from outside makes the report's scan wait: the wait counts toward the statement timeout.
      const locker = new pg.Client({ connectionString: server.adminUrl! });
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE time_entries IN ACCESS EXCLUSIVE MODE");
        const stopped = await rejectionOf(freshReport(heavy));
        expect(stopped.data?.code).toBe("TIMEOUT");
        expect((stopped.data as { reason?: string }).reason).toBe("STATEMENT_TIMEOUT");
        expect(stopped.message).not.toMatch(/statement|cancel|SQL/i);

        const csv = await fetch(`${server.url}/export/report.csv?from=2026-01-01&to=2026-02-02&groupBy=day`, {
          headers: { authorization: `Bearer ${heavy.owner.token}`, [WORKSPACE_HEADER]: heavy.workspaceId },
        });
        expect(csv.status).toBe(408);
        expect(await csv.json()).toMatchObject({ reason: "STATEMENT_TIMEOUT" });
      } finally {
        await locker.query("ROLLBACK");
        await locker.end();
      }
      // The places were given back and the next report runs.
      expect(server.services.heavy.gate.usage(heavy.workspaceId)).toEqual({ running: 0, waiting: 0 });
      expect((await freshReport(heavy)).groups.length).toBeGreaterThan(0);
    },
  );
  it.runIf(testDbKind() === "postgres")("a heavy read runs without parallel workers (HEAVY_PARALLEL_WORKERS, default 0), so each place is one core; other work keeps the server's setting", async () => {
    const setting = (opts: TenantTxOptions) =>
      withTenant(server.services.db.prisma, heavy.workspaceId, (db) => db.$queryRaw<{ n: string }[]>`SELECT current_setting('max_parallel_workers_per_gather') AS n`, opts);
    expect(server.services.heavy.tx.parallelWorkers).toBe(0);
    expect((await setting(server.services.heavy.tx))[0]!.n).toBe("0");
    const serverDefault = (await setting({}))[0]!.n;
    expect(serverDefault).toBe("2");
    // SET LOCAL: the connection goes back to the pool with the server's setting.
    expect((await setting({}))[0]!.n).toBe(serverDefault);
  });
  it.runIf(testDbKind() === "pglite")("PGlite has no statement timeout (single session, no timer signals) and no parallel workers: only the places apply", () => {
    console.log("statement timeout not tested on PGlite: PGlite ignores statement_timeout (measured: pg_sleep(1) under a 200 ms timeout finishes)");
    console.log("parallel workers not tested on PGlite: it has none (its max_parallel_workers_per_gather reads 0)");
  });
});
