import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import pg from "pg";
import { APP_ROLE } from "../../server/src/db/connect.js";
import { migrate } from "../../server/src/db/migrate.js";
import { pgliteAdmin, postgresAdmin } from "../../server/src/db/sql-admin.js";
import { createScratchDatabase, testDbKind, type TestDbKind } from "./database.js";

/** One SQL session: plain statements, no ORM, no tenant helper. */
export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement and answers how many rows it changed. */
  execute(sql: string, params?: unknown[]): Promise<number>;
}

/**
 * A freshly migrated database of the suite's kind, reached without the
 * server: as the superuser (RLS does not apply to it, so it seeds and
 * counts the truth) and as the app role (RLS applies).
 */
export interface RawDatabase {
  kind: TestDbKind;
  superuser: SqlSession;
  /** Logged in as hoursync_app on PostgreSQL; `SET ROLE hoursync_app` on PGlite. */
  app: SqlSession;
  close(): Promise<void>;
}

export async function openRawDatabase(): Promise<RawDatabase> {
  return testDbKind() === "postgres" ? openPostgres() : openPglite();
}

async function openPostgres(): Promise<RawDatabase> {
  const scratch = await createScratchDatabase();
  const admin = await postgresAdmin(scratch.adminUrl);
  try {
    await migrate(admin);
  } finally {
    await admin.close();
  }
  const superClient = new pg.Client({ connectionString: scratch.adminUrl });
  const appClient = new pg.Client({ connectionString: scratch.appUrl });
  await superClient.connect();
  await appClient.connect();
  const session = (client: pg.Client): SqlSession => ({
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    execute: async (sql, params = []) => (await client.query(sql, params)).rowCount ?? 0,
  });
  return {
    kind: "postgres",
    superuser: session(superClient),
    app: session(appClient),
    close: async () => {
      await appClient.end();
      await superClient.end();
      await scratch.drop();
    },
  };
}

async function openPglite(): Promise<RawDatabase> {
  const db = await PGlite.create("memory://", { extensions: { btree_gist } });
  await migrate(pgliteAdmin(db));
  // PGlite has one session: each side switches the role it runs as before its statement.
  let current: "superuser" | "app" = "superuser";
  const as = async (who: "superuser" | "app") => {
    if (current === who) return;
    await db.exec(who === "app" ? `SET ROLE ${APP_ROLE}` : "RESET ROLE");
    current = who;
  };
  const session = (who: "superuser" | "app"): SqlSession => ({
    query: async <T>(sql: string, params: unknown[] = []) => {
      await as(who);
      return (await db.query<T>(sql, params)).rows;
    },
    execute: async (sql, params = []) => {
      await as(who);
      return (await db.query(sql, params)).affectedRows ?? 0;
    },
  });
  return { kind: "pglite", superuser: session("superuser"), app: session("app"), close: () => db.close() };
}

/** Runs `work` in one transaction of `session` that is always rolled back. */
export async function inRolledBackTransaction<T>(session: SqlSession, work: () => Promise<T>): Promise<T> {
  await session.query("BEGIN");
  try {
    return await work();
  } finally {
    await session.query("ROLLBACK");
  }
}

/** The SQLSTATE of a failed statement, or null when it succeeded. */
export async function sqlStateOf(statement: Promise<unknown>): Promise<string | null> {
  try {
    await statement;
    return null;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string") return code;
    throw err;
  }
}
