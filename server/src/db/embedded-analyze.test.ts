import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyzeChangedTables, scheduleEmbeddedAnalyze } from "./embedded-analyze.js";

let db: PGlite;

/** A superuser-owned table the stepped-down app role may only read and write, as in the server. */
beforeEach(async () => {
  db = await PGlite.create("memory://");
  await db.exec(`
    CREATE ROLE app;
    CREATE TABLE entries (id int PRIMARY KEY, who text);
    CREATE TABLE untouched (id int PRIMARY KEY);
    GRANT SELECT, INSERT ON entries, untouched TO app;
    SET ROLE app;`);
});
afterEach(async () => {
  await db.close();
});

async function insertRows(n: number) {
  await db.query("INSERT INTO entries SELECT g, 'p' || (g % 7) FROM generate_series(1, $1::int) g", [n]);
  // Statistics reach the shared counters at the end of a later transaction; force that now.
  await db.query("SELECT pg_stat_force_next_flush()");
  await db.query("SELECT 1");
}

const reltuples = async (table: string) =>
  (await db.query<{ n: number }>("SELECT reltuples::int AS n FROM pg_class WHERE relname = $1", [table])).rows[0]!.n;
const currentUser = async () => (await db.query<{ u: string }>("SELECT current_user::text AS u")).rows[0]!.u;

describe("analyzing the embedded database (PGlite has no autovacuum)", () => {
  it("analyzes the tables that changed enough, as the owner, and returns to the app role", async () => {
    await insertRows(1_000);
    expect(await reltuples("entries")).toBe(-1);
    expect(await analyzeChangedTables(db, "app")).toEqual(["public.entries"]);
    expect(await reltuples("entries")).toBe(1_000);
    expect(await reltuples("untouched")).toBe(-1);
    expect(await currentUser()).toBe("app");
    // Nothing changed since: nothing to do.
    expect(await analyzeChangedTables(db, "app")).toEqual([]);
  });

  it("sees writes made just before it runs, whose counts the session has not flushed yet", async () => {
    await db.query("INSERT INTO entries SELECT g, 'p' FROM generate_series(1, 500) g");
    expect(await analyzeChangedTables(db, "app")).toEqual(["public.entries"]);
    expect(await reltuples("entries")).toBe(500);
  });

  it("leaves a table alone until more than 50 + 10% of its rows changed", async () => {
    await insertRows(1_000);
    await analyzeChangedTables(db, "app");
    await db.query("INSERT INTO entries SELECT g, 'q' FROM generate_series(1001, 1140) g");
    await db.query("SELECT pg_stat_force_next_flush()");
    await db.query("SELECT 1");
    expect(await analyzeChangedTables(db, "app")).toEqual([]);
    await db.query("INSERT INTO entries SELECT g, 'q' FROM generate_series(1141, 1160) g");
    await db.query("SELECT pg_stat_force_next_flush()");
    await db.query("SELECT 1");
    expect(await analyzeChangedTables(db, "app")).toEqual(["public.entries"]);
    expect(await reltuples("entries")).toBe(1_160);
  });

  it("runs on a schedule until stopped", async () => {
    const errors: unknown[] = [];
    const schedule = scheduleEmbeddedAnalyze(db, "app", 1, (err) => errors.push(err));
    await insertRows(500);
    const deadline = Date.now() + 5_000;
    while ((await reltuples("entries")) !== 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await schedule.stop();
    expect(await reltuples("entries")).toBe(500);
    expect(errors).toEqual([]);
    expect(await currentUser()).toBe("app");
  });
});
