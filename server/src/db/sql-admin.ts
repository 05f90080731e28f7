import pg from "pg";
import type { PGlite } from "@electric-sql/pglite";

/**
 * A privileged SQL session used only for migrations and role checks. Tenant
 * work never goes through it: it may be a superuser.
 */
export interface AdminSql {
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function pgliteAdmin(db: PGlite): AdminSql {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await db.query<T>(sql, params)).rows,
    close: async () => {},
  };
}

export async function postgresAdmin(connectionString: string): Promise<AdminSql> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await client.query<T>(sql, params)).rows,
    close: () => client.end(),
  };
}
