/**
 * Sync requests that meet each other on the server. Interleavings are forced
 * by a second, superuser connection that holds a table lock while the
 * requests queue behind it, so each case runs the same way every time.
 * PGlite runs one transaction at a time: there is nothing to interleave.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at } from "../../support/api.js";
import { testDbKind } from "../../support/database.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const onPostgres = testDbKind() === "postgres";
const PG_ONLY = "(PostgreSQL only: PGlite runs one transaction at a time, so requests cannot interleave)";
const pgIt = onPostgres ? it : it.skip;
if (!onPostgres) console.log(`tests/server/sync/concurrency.test.ts: interleaving cases skipped ${PG_ONLY}`);

let server: TestServer;
let acme: Company;
let employee: Person;
beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  employee = await acme.hire("EMPLOYEE");
});
afterAll(async () => {
  await server.close();
});

function put(id: string, day: string, hour: number, description = `work ${hour}`) {
  return { name: "entry.put", args: { id, start: at(day, hour).toISOString(), end: at(day, hour + 1).toISOString(), description } };
}

async function device(person: Person) {
  const clientId = randomUUID();
  await person.api.sync.registerClient.mutate({ clientId, name: "laptop" });
  return clientId;
}

/** Holds `LOCK TABLE ... IN <mode>` in a transaction of its own until released. */
async function holdLock(table: string, mode: string, on: TestServer = server) {
  const conn = new pg.Client({ connectionString: on.adminUrl! });
  await conn.connect();
  await conn.query("BEGIN");
  await conn.query(`LOCK TABLE ${table} IN ${mode} MODE`);
  return {
    /** Waits until `n` lock requests of the database queue behind something. */
    async waitForWaiting(n: number) {
      for (let i = 0; i < 400; i++) {
        const { rows } = await conn.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE NOT l.granted AND d.datname = current_database()",
        );
        if (rows[0]!.n >= n) return;
        await sleep(25);
      }
      throw new Error(`Expected ${n} request(s) waiting for a lock`);
    },
    async release() {
      await conn.query("COMMIT");
      await conn.end();
    },
  };
}

async function pullEverything(person: Person, cursor: number) {
  const ids = new Set<string>();
  for (;;) {
    const page = await person.api.sync.pull.query({ cursor, limit: 1000 });
    for (const e of page.entries) ids.add(e.id);
    cursor = page.cursor;
    if (!page.hasMore) return { ids, cursor };
  }
}

describe("sync under concurrency", () => {
  pgIt(`a pull never moves its cursor past a push that commits while it runs ${PG_ONLY}`, async () => {
    const laptop = await device(employee);
    const { cursor } = await pullEverything(employee, 0);

    // The pull reads entries, then waits at the clients table; meanwhile a push commits.
    const lock = await holdLock("clients", "ACCESS EXCLUSIVE");
    const pulling = employee.api.sync.pull.query({ cursor, limit: 1000 });
    await lock.waitForWaiting(1);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const pushed = await employee.api.sync.push.mutate({
      clientId: laptop,
      mutations: ids.map((id, i) => ({ mutationId: i + 1, ...put(id, "2026-06-01", 8 + i) })),
    });
    expect(pushed.results.every((r) => r.status === "applied")).toBe(true);
    await lock.release();

    const first = await pulling;
    const later = await pullEverything(employee, first.cursor);
    const seen = new Set([...first.entries.map((e) => e.id), ...later.ids]);
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
  });

  pgIt(`one push delivered twice at the same moment is decided once, and both copies answer alike ${PG_ONLY}`, async () => {
    const laptop = await device(employee);
    const e = randomUUID();
    await employee.api.sync.push.mutate({ clientId: laptop, mutations: [{ mutationId: 1, ...put(e, "2026-06-02", 9) }] });
    const f = randomUUID();
    const g = randomUUID();
    // Moves e away, puts f where e was, then g where f was first: deciding this batch again,
    // against what its first copy wrote, would find overlaps that never happened.
    const batch = [
      { mutationId: 2, ...put(e, "2026-06-02", 11) },
      { mutationId: 3, ...put(f, "2026-06-02", 9) },
      { mutationId: 4, ...put(f, "2026-06-02", 10) },
      { mutationId: 5, ...put(g, "2026-06-02", 9) },
    ];

    // Both copies get as far as they can before writing, then wait behind the lock.
    const lock = await holdLock("time_entries", "EXCLUSIVE");
    const copies = [
      employee.api.sync.push.mutate({ clientId: laptop, mutations: batch }),
      sleep(5).then(() => employee.api.sync.push.mutate({ clientId: laptop, mutations: batch })),
    ];
    await lock.waitForWaiting(2);
    await lock.release();
    const [one, two] = await Promise.all(copies);

    const allApplied = batch.map((m) => ({ mutationId: m.mutationId, status: "applied" }));
    expect(one!.results).toEqual(allApplied);
    expect(two!.results).toEqual(allApplied);
    const replay = await employee.api.sync.push.mutate({ clientId: laptop, mutations: batch });
    expect(replay.results).toEqual(allApplied);
    const stored = await employee.api.entries.list.query({ from: at("2026-06-02", 0), to: at("2026-06-03", 0) });
    expect(stored.items.map((x) => [x.id, x.start.toISOString()]).sort()).toEqual(
      [
        [e, at("2026-06-02", 11).toISOString()],
        [f, at("2026-06-02", 10).toISOString()],
        [g, at("2026-06-02", 9).toISOString()],
      ].sort(),
    );
  });

  pgIt(`shutting down lets a request cut off mid-transaction finish, instead of hanging on its connection ${PG_ONLY}`, async () => {
    const doomed = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
    const company = await createCompany(doomed, "Doomed");
    const lock = await holdLock("clients", "ACCESS EXCLUSIVE", doomed);
    // Pulls wait inside their transactions (one more than the pool holds, so the last one is still
    // starting its transaction); the server is told to stop meanwhile.
    const pulls = Array.from({ length: 5 }, () => company.owner.api.sync.pull.query({ cursor: 0, limit: 10 }).catch(() => "cut off"));
    await lock.waitForWaiting(4);
    const closing = doomed.close();
    await sleep(300);
    await lock.release();
    const started = Date.now();
    await closing;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await Promise.all(pulls)).toEqual(Array(5).fill("cut off"));
  });

  it("refuses poison text mutation by mutation and applies the rest of the batch", async () => {
    const laptop = await device(employee);
    const ok = [randomUUID(), randomUUID(), randomUUID()];
    const res = await employee.api.sync.push.mutate({
      clientId: laptop,
      mutations: [
        { mutationId: 1, ...put(ok[0]!, "2026-06-03", 8) },
        { mutationId: 2, ...put(randomUUID(), "2026-06-03", 9, "nul \u0000 inside") },
        { mutationId: 3, ...put(ok[1]!, "2026-06-03", 10) },
        { mutationId: 4, ...put(randomUUID(), "2026-06-03", 11, "half a pair \ud800 here") },
        { mutationId: 5, name: "entry.\u0000burn", args: { id: randomUUID() } },
        { mutationId: 6, ...put(ok[2]!, "2026-06-03", 12) },
      ],
    });
    expect(res.results.map((r) => [r.mutationId, r.status, r.status === "rejected" ? r.reason : null])).toEqual([
      [1, "applied", null],
      [2, "rejected", "VALIDATION"],
      [3, "applied", null],
      [4, "rejected", "VALIDATION"],
      [5, "rejected", "VALIDATION"],
      [6, "applied", null],
    ]);
    const stored = await employee.api.entries.list.query({ from: at("2026-06-03", 0), to: at("2026-06-04", 0) });
    expect(stored.items.map((x) => x.id).sort()).toEqual([...ok].sort());
    // A replay answers the same: the refusals were recorded, their messages storable.
    const replay = await employee.api.sync.push.mutate({
      clientId: laptop,
      mutations: [{ mutationId: 5, name: "entry.\u0000burn", args: {} }],
    });
    expect(replay.results[0]).toMatchObject({ status: "rejected", reason: "VALIDATION" });
  });
});
