import { existsSync, readdirSync, readlinkSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TempFolder } from "../testing/local-fixture.js";
import { migrateLocalDb, openLocalDb } from "./local-db.js";
import { LOCAL_MIGRATIONS } from "./migrations.js";

const LATEST = LOCAL_MIGRATIONS.length;

const userVersion = (db: Database.Database) => db.pragma("user_version", { simple: true }) as number;
const tableNames = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

/** Paths this process currently holds open (Linux only). */
function openFiles(): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

let tmp: TempFolder;
beforeEach(() => {
  tmp = new TempFolder();
});
afterEach(() => tmp.cleanup());

describe("openLocalDb", () => {
  it("creates the file (and missing parent folders) and runs in WAL mode", () => {
    const file = tmp.path("nested/deeper/hoursync.db");
    const db = openLocalDb(file);
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(statSync(file).isFile()).toBe(true);
      // A committed write lands in the write-ahead log next to the file.
      db.prepare("INSERT INTO sync_state (workspace_id) VALUES ('w')").run();
      expect(existsSync(`${file}-wal`)).toBe(true);
    } finally {
      db.close();
    }
    // WAL is persistent: a plain connection sees it too.
    const raw = new Database(file);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("applies every migration to a new file and records the version in user_version", () => {
    const db = tmp.openDb();
    expect(LATEST).toBeGreaterThan(0);
    expect(userVersion(db)).toBe(LATEST);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(["clients", "entries", "outbox", "projects", "sync_state", "tags", "tasks"]),
    );
  });

  it("does not re-run migrations when the file is reopened, and keeps the data", () => {
    const first = tmp.openDb();
    first.prepare("INSERT INTO tags (workspace_id, id, name) VALUES ('w', 't', 'kept')").run();
    first.close();

    const again = tmp.openDb();
    expect(userVersion(again)).toBe(LATEST);
    expect(again.prepare("SELECT name FROM tags").all()).toEqual([{ name: "kept" }]);
    // Running the migrator on an up-to-date database applies nothing.
    expect(migrateLocalDb(again)).toEqual([]);
    expect(userVersion(again)).toBe(LATEST);
  });

  it("reports which versions it applied, starting after the recorded one", () => {
    const raw = new Database(tmp.path("raw.db"));
    try {
      expect(migrateLocalDb(raw)).toEqual(Array.from({ length: LATEST }, (_, i) => i + 1));
      expect(migrateLocalDb(raw)).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it("applies a migration and its version bump atomically: a failing one leaves the previous version", () => {
    const file = tmp.path("hoursync.db");
    openLocalDb(file).close();
    LOCAL_MIGRATIONS.push("CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;");
    try {
      expect(() => openLocalDb(file)).toThrow(/no_such_table/);
    } finally {
      LOCAL_MIGRATIONS.pop();
    }
    const raw = new Database(file);
    expect(userVersion(raw)).toBe(LATEST);
    expect(tableNames(raw)).not.toContain("half_done");
    raw.close();
  });

  describe("a database written by a newer app", () => {
    function makeNewerFile(): string {
      const file = tmp.path("newer.db");
      const raw = new Database(file);
      raw.exec("CREATE TABLE from_the_future (x INTEGER)");
      raw.pragma(`user_version = ${LATEST + 1}`);
      raw.close();
      return file;
    }

    it("is refused with a clear error and left untouched", () => {
      const file = makeNewerFile();
      expect(() => openLocalDb(file)).toThrow(`This data was written by a newer Hoursync (schema ${LATEST + 1}); update the app.`);

      const raw = new Database(file);
      expect(userVersion(raw)).toBe(LATEST + 1);
      expect(tableNames(raw)).toEqual(["from_the_future"]);
      raw.close();
    });

    it.runIf(existsSync("/proc/self/fd"))("is refused without leaving the file open", () => {
      const file = makeNewerFile();
      expect(() => openLocalDb(file)).toThrow(/newer Hoursync/);
      expect(openFiles().filter((f) => f.startsWith(file))).toEqual([]);
    });
  });
});
