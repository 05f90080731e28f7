import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { LOCAL_MIGRATIONS } from "./migrations.js";

export type LocalDb = Database.Database;

/**
 * Opens (and migrates) the device's database: one SQLite file in WAL mode
 * in the app's data folder. `synchronous = NORMAL` under WAL never corrupts
 * and keeps every committed transaction across an app crash (an OS crash
 * may lose the last few, which the outbox and sync tolerate).
 */
export function openLocalDb(file: string): LocalDb {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    // A sync answer rewrites a thousand entries and outbox rows in one transaction: with SQLite's
    // 2 MB page cache it spills mid-transaction, and a checkpoint every 4 MB of log comes every
    // batch or two. 32 MB of cache and a checkpoint every 40 MB (the log file kept under 64 MB)
    // took a 10,000-change catch-up from about 2.25 s to 1.97 s.
    db.pragma("cache_size = -32000");
    db.pragma("wal_autocheckpoint = 10000");
    db.pragma("journal_size_limit = 67108864");
    migrateLocalDb(db);
  } catch (err) {
    // A refused (newer) or failed migration must not leave the file open.
    db.close();
    throw err;
  }
  return db;
}

/** Versioned local migrations, tracked in SQLite's user_version. Returns the versions applied. */
export function migrateLocalDb(db: LocalDb): number[] {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > LOCAL_MIGRATIONS.length) {
    throw new Error(`This data was written by a newer Hoursync (schema ${current}); update the app.`);
  }
  const applied: number[] = [];
  for (let v = current + 1; v <= LOCAL_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(LOCAL_MIGRATIONS[v - 1]!);
      db.pragma(`user_version = ${v}`);
    })();
    applied.push(v);
  }
  return applied;
}

/** Prepares each SQL text once per connection: hot paths run thousands of times during a sync. */
export type PreparedStatements = <P extends unknown[] = unknown[], R = unknown>(sql: string) => Database.Statement<P, R>;

export function statementCache(db: LocalDb): PreparedStatements {
  const cache = new Map<string, Database.Statement<unknown[], unknown>>();
  return <P extends unknown[] = unknown[], R = unknown>(sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt as unknown as Database.Statement<P, R>;
  };
}
