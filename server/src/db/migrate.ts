import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AdminSql } from "./sql-admin.js";

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../prisma/migrations",
);

const LOCK_KEY = 7_202_611; // any constant: serialises concurrent migrators

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export class MigrationChecksumError extends Error {
  constructor(readonly migration: string) {
    super(
      `Migration ${migration} was changed after it was applied. ` +
        "Applied migrations are immutable: add a new migration instead.",
    );
    this.name = "MigrationChecksumError";
  }
}

/**
 * Roles belong to the whole PostgreSQL cluster, not to one database, so the
 * lock below does not keep two databases of one cluster (two deployments,
 * or parallel test databases) from altering the app role at the same moment;
 * PostgreSQL then fails one with "tuple concurrently updated". Trying that
 * migration again is safe: it rolled back.
 */
function isConcurrentRoleUpdate(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === "XX000" && String(e.message).includes("tuple concurrently updated");
}

/** Applies pending migrations in order, each in its own transaction. Returns the names applied. */
export async function migrate(sql: AdminSql, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  // Lock first: concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog.
  await sql.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
  try {
    await sql.exec(`CREATE TABLE IF NOT EXISTS hoursync_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await sql.query<{ name: string; checksum: string }>(
      "SELECT name, checksum FROM hoursync_migrations",
    );
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of all) {
      const known = applied.get(m.name);
      if (known !== undefined && known !== m.checksum) throw new MigrationChecksumError(m.name);
    }
    const done: string[] = [];
    for (const m of all) {
      if (applied.has(m.name)) continue;
      for (let attempt = 1; ; attempt++) {
        await sql.exec("BEGIN");
        try {
          await sql.exec(m.sql);
          await sql.query("INSERT INTO hoursync_migrations (name, checksum) VALUES ($1, $2)", [
            m.name,
            m.checksum,
          ]);
          await sql.exec("COMMIT");
          break;
        } catch (err) {
          await sql.exec("ROLLBACK");
          if (attempt < 3 && isConcurrentRoleUpdate(err)) continue;
          throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
      }
      done.push(m.name);
    }
    // The app role must never rewrite migration history.
    await sql.exec("REVOKE ALL ON hoursync_migrations FROM hoursync_app");
    return done;
  } finally {
    await sql.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
  }
}
