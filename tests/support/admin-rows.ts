import pg from "pg";
import type { TestServer } from "./server.js";

/**
 * Runs `sql` on the test server's database as its superuser, past RLS: what
 * a test looks at behind the server's back (PostgreSQL through the admin
 * URL; PGlite by stepping up for one transaction). Not the server's
 * statements: kept out of its query audit.
 */
export async function adminRows(server: TestServer, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (server.adminUrl) {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      return (await admin.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await admin.end();
    }
  }
  const audited = server.statements.length;
  const rows = await server.services.db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL ROLE postgres");
    return tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
  });
  server.statements.length = audited;
  return rows;
}
