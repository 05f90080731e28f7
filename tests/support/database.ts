import { randomBytes } from "node:crypto";
import pg from "pg";

/** Which database the integration suites run on (set per vitest project). */
export type TestDbKind = "pglite" | "postgres";

export function testDbKind(): TestDbKind {
  const kind = process.env.HOURSYNC_TEST_DB ?? "pglite";
  if (kind !== "pglite" && kind !== "postgres") throw new Error(`HOURSYNC_TEST_DB must be pglite or postgres, not ${kind}`);
  return kind;
}

/** The local PostgreSQL's superuser (trust auth on this machine; override with TEST_PG_ADMIN_URL). */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  /** Superuser URL: runs the migrations. */
  adminUrl: string;
  /** Login as the app role itself: no superuser, no BYPASSRLS, RLS applies. */
  appUrl: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  return u.toString();
}

/** A fresh, empty PostgreSQL database for one test file. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `hs_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    adminUrl: withDatabase(PG_ADMIN_URL, name),
    appUrl: withDatabase(PG_ADMIN_URL, name, "hoursync_app"),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
