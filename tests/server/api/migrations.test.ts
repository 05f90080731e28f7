import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { migrate, MigrationChecksumError, readMigrations, type Migration } from "../../../server/src/db/migrate.js";
import { pgliteAdmin, postgresAdmin, type AdminSql } from "../../../server/src/db/sql-admin.js";
import { createScratchDatabase, testDbKind } from "../../support/database.js";

const kind = testDbKind();

/** A fresh, empty database of the suite's kind, with an admin session on it. */
interface Scratch {
  sql: AdminSql;
  /** Another admin session on the same database (PostgreSQL only). */
  connect(): Promise<AdminSql>;
  close(): Promise<void>;
}

const opened: Scratch[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** PGlite starts slowly: the tests that bring their own migration list share one instance, a schema each. */
let sharedPglite: Promise<PGlite> | null = null;
let schemas = 0;
afterAll(async () => {
  await (await sharedPglite)?.close();
});

const newPglite = () => PGlite.create("memory://", { extensions: { btree_gist } });

/** A fresh, empty database (PostgreSQL) or schema (shared PGlite, `fresh` for a whole new instance). */
async function scratch(opts: { fresh?: boolean } = {}): Promise<Scratch> {
  let s: Scratch;
  if (kind === "pglite") {
    const connect = () => Promise.reject(new Error("PGlite has one session"));
    if (opts.fresh) {
      const db = await newPglite();
      s = { sql: pgliteAdmin(db), connect, close: () => db.close() };
    } else {
      sharedPglite ??= newPglite();
      const db = await sharedPglite;
      const schema = `scratch_${++schemas}`;
      await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      s = { sql: pgliteAdmin(db), connect, close: () => db.exec(`RESET search_path; DROP SCHEMA ${schema} CASCADE`).then(() => undefined) };
    }
  } else {
    const database = await createScratchDatabase();
    const sessions: AdminSql[] = [];
    const connect = async () => {
      const sql = await postgresAdmin(database.adminUrl);
      sessions.push(sql);
      return sql;
    };
    s = {
      sql: await connect(),
      connect,
      close: async () => {
        for (const sql of sessions) await sql.close();
        await database.drop();
      },
    };
  }
  opened.push(s);
  return s;
}

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
}

/** migrate() revokes its history table from the app role, so a migration list must make sure the role exists. */
const base = migration(
  "0001_role",
  `DO $$ BEGIN CREATE ROLE hoursync_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;`,
);
const notes = migration("0002_notes", "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
const tags = migration("0003_note_tags", "ALTER TABLE notes ADD COLUMN tags text[] NOT NULL DEFAULT '{}'");

async function applied(sql: AdminSql): Promise<string[]> {
  return (await sql.query<{ name: string }>("SELECT name FROM hoursync_migrations ORDER BY name")).map((r) => r.name);
}

async function tableExists(sql: AdminSql, table: string): Promise<boolean> {
  const [row] = await sql.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table]);
  return row!.found;
}

describe("migrate()", () => {
  it("applies the project's migrations once; a second run applies nothing", async () => {
    const { sql } = await scratch({ fresh: true });
    const all = await readMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(await migrate(sql)).toEqual(all.map((m) => m.name));
    expect(await tableExists(sql, "time_entries")).toBe(true);
    expect(await migrate(sql)).toEqual([]);
    expect(await applied(sql)).toEqual(all.map((m) => m.name));
  });

  it("applies only what was added since the last run, in order", async () => {
    const { sql } = await scratch();
    expect(await migrate(sql, [base, notes])).toEqual(["0001_role", "0002_notes"]);
    expect(await migrate(sql, [base, notes])).toEqual([]);
    expect(await migrate(sql, [base, notes, tags])).toEqual(["0003_note_tags"]);
    await sql.exec("INSERT INTO notes (id, body, tags) VALUES (1, 'x', '{a}')");
    expect(await applied(sql)).toEqual(["0001_role", "0002_notes", "0003_note_tags"]);
  });

  it("refuses a migration changed after it was applied, and applies nothing else", async () => {
    const { sql } = await scratch();
    await migrate(sql, [base, notes]);
    const edited = migration("0002_notes", "CREATE TABLE notes (id bigint PRIMARY KEY, body text)");
    const err = await migrate(sql, [base, edited, tags]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationChecksumError);
    expect((err as MigrationChecksumError).migration).toBe("0002_notes");
    expect(await applied(sql)).toEqual(["0001_role", "0002_notes"]);
    const [col] = await sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'notes' AND column_name = 'tags'",
    );
    expect(col!.n).toBe(0);
    // The lock was released: the unchanged list still works.
    expect(await migrate(sql, [base, notes, tags])).toEqual(["0003_note_tags"]);
  });

  it("rolls a failing migration back completely and does not record it", async () => {
    const { sql } = await scratch();
    const broken = migration("0002_broken", "CREATE TABLE half (id int); SELECT 1 / 0;");
    await expect(migrate(sql, [base, broken])).rejects.toThrow(/Migration 0002_broken failed/);
    expect(await tableExists(sql, "half")).toBe(false);
    expect(await applied(sql)).toEqual(["0001_role"]);
    expect(await migrate(sql, [base, notes])).toEqual(["0002_notes"]);
  });

  // PGlite has a single session, so only PostgreSQL can have two migrators at once.
  if (kind === "postgres") it("lets two servers migrate one fresh database at once, applying each migration once", async () => {
    const db = await scratch();
    const other = await db.connect();
    const results = await Promise.all([migrate(db.sql, [base, notes, tags]), migrate(other, [base, notes, tags])]);
    expect(results.map((r) => r.length).sort()).toEqual([0, 3]);
    expect(await applied(db.sql)).toEqual(["0001_role", "0002_notes", "0003_note_tags"]);
  });
});
