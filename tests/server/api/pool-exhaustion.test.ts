/**
 * A request that waits too long for a database connection is answered as
 * "busy, retry" (503 with Retry-After), on tRPC and on the plain HTTP routes,
 * and counted; no driver text, SQL or stack reaches the client. The pool is
 * one connection, held by a transaction the test opens on the server's own
 * client. PostgreSQL only: PGlite has one session and no pool, and a request
 * there waits for the session without a deadline (a known limit).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseBusy } from "../../../server/src/db/busy.js";
import { testDbKind } from "../../support/database.js";
import { createCompany, type Company } from "../../support/people.js";
import { rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

const POOL_WAIT_MS = 400;

const onPostgres = testDbKind() === "postgres";
if (!onPostgres) {
  console.info("pool-exhaustion.test.ts: skipped on PGlite: it has one session and no connection pool, so a request waits for the session instead of timing out (README, Known limits)");
}

let server: TestServer;
let acme: Company;

beforeAll(async () => {
  if (!onPostgres) return;
  server = await startTestServer({ env: { DB_POOL_MAX: "1", DB_POOL_WAIT_MS: String(POOL_WAIT_MS) } });
  acme = await createCompany(server, "Acme");
});
afterAll(() => server?.close());

/** Takes the only connection until the returned function is called. */
async function holdTheConnection(): Promise<() => Promise<void>> {
  let release!: () => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const held = server.services.db.prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      started();
      await new Promise<void>((resolve) => (release = resolve));
    },
    { timeout: 20_000 },
  );
  await running;
  return async () => {
    release();
    await held;
  };
}

async function busyCount(api: "trpc" | "http"): Promise<number> {
  const metric = await server.services.metrics.registry.getSingleMetric("hoursync_db_busy_refusals_total")!.get();
  return metric.values.find((v) => v.labels.api === api)?.value ?? 0;
}

const LEAKS = /SELECT|Unable to start|timeout exceeded|P2028|prisma|\bat .+:\d+/i;

describe.skipIf(!onPostgres)("no connection free in time", () => {
  it("answers a tRPC call 503 SERVICE_UNAVAILABLE with Retry-After, counted, with nothing of the driver in it", async () => {
    const before = await busyCount("trpc");
    const release = await holdTheConnection();
    try {
      const res = await fetch(`${server.url}/trpc/entries.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
        headers: { authorization: `Bearer ${acme.owner.token}`, "x-hoursync-workspace": acme.workspaceId },
      });
      const text = await res.text();
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      const body = JSON.parse(text) as { error: { json: { message: string; data: Record<string, unknown> } } };
      expect(body.error.json.message).toBe("The server is busy. Retry shortly.");
      expect(body.error.json.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", httpStatus: 503, reason: "SERVER_BUSY", retryAfterSeconds: 2 });
      expect(text).not.toMatch(LEAKS);
      expect(body.error.json.data).not.toHaveProperty("stack");

      // The same through the client the desktop app uses.
      const err = await rejectionOf(acme.owner.api.workspace.get.query());
      expect(err.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", httpStatus: 503, retryAfterSeconds: 2 });
    } finally {
      await release();
    }
    expect(await busyCount("trpc")).toBe(before + 2);
    // Once the connection is free again, the same call goes through.
    expect((await acme.owner.api.workspace.get.query()).id).toBe(acme.workspaceId);
  });

  it("answers a plain HTTP route 503 with Retry-After and a JSON reason, counted", async () => {
    const before = await busyCount("http");
    const release = await holdTheConnection();
    try {
      const res = await fetch(`${server.url}/export/entries.csv?from=2026-03-02&to=2026-03-09`, {
        headers: { authorization: `Bearer ${acme.owner.token}`, "x-hoursync-workspace": acme.workspaceId },
      });
      const text = await res.text();
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(JSON.parse(text)).toEqual({ error: "The server is busy. Retry shortly.", reason: "SERVER_BUSY" });
      expect(text).not.toMatch(LEAKS);
    } finally {
      await release();
    }
    expect(await busyCount("http")).toBe(before + 1);
    const after = await fetch(`${server.url}/export/entries.csv?from=2026-03-02&to=2026-03-09`, {
      headers: { authorization: `Bearer ${acme.owner.token}`, "x-hoursync-workspace": acme.workspaceId },
    });
    expect(after.status).toBe(200);
  });

  it("knows a wait that ran out, for a transaction and for a single query, and nothing else", async () => {
    const release = await holdTheConnection();
    try {
      // The pool gives up after DB_POOL_WAIT_MS (Prisma 6.19 waits for the adapter's connection rather than its own maxWait).
      const started = Date.now();
      const transaction = await server.services.db.prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1`).catch((err: unknown) => err);
      expect(Date.now() - started).toBeGreaterThanOrEqual(POOL_WAIT_MS - 50);
      expect(String(transaction)).toContain("timeout exceeded when trying to connect");
      expect(isDatabaseBusy(transaction)).toBe(true);
      const query = await server.services.db.prisma.$queryRaw`SELECT 1`.catch((err: unknown) => err);
      expect(query).toBeInstanceOf(Error);
      expect(isDatabaseBusy(query)).toBe(true);
    } finally {
      await release();
    }
    // Other failures are not "busy".
    expect(isDatabaseBusy(await server.services.db.prisma.$queryRaw`SELECT 1/0`.catch((err: unknown) => err))).toBe(false);
  });
});
