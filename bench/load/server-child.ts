/**
 * One server of the load benchmark, in its own process (its own event loop,
 * as in production; the load generator runs in the parent). argv: kind
 * (postgres | pglite), "rls-off" to run on a scratch database whose
 * row-level security the admin has switched off (bench only), and the seed
 * sizes. Sends the fixture once seeded; "memory" answers its memory (after a
 * full collection when started with --expose-gc); "stop" ends it.
 */
import pg from "pg";
import { startServer } from "../sync-throughput.js";
import { seedLoad } from "./seed.js";

const [kindArg, rlsArg, workspaces, usersPerWorkspace, heavyPeople, envJson] = process.argv.slice(2);
const kind = kindArg === "pglite" ? "pglite" : "postgres";
const extraEnv = JSON.parse(envJson ?? "{}") as Record<string, string>;

const server = await startServer(kind, { DB_POOL_MAX: "10", ...extraEnv });
if (rlsArg === "rls-off") {
  if (!server.adminUrl) throw new Error("row-level security can only be switched off on PostgreSQL");
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity AND n.nspname = 'public'`,
  );
  for (const { name } of rows) await admin.query(`ALTER TABLE ${name} NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY`);
  await admin.end();
}
const fixture = await seedLoad(server.services.db.prisma, {
  workspaces: Number(workspaces),
  usersPerWorkspace: Number(usersPerWorkspace),
  heavyPeople: Number(heavyPeople),
});
if (server.adminUrl) {
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query("VACUUM ANALYZE");
  await admin.end();
} else {
  await server.services.db.analyzeChangedTables?.();
}

process.on("message", async (msg) => {
  if (msg === "memory") {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ rssBytes: rss, heapUsedBytes: heapUsed, afterGc: gc !== undefined });
    return;
  }
  if (msg === "stop") {
    await server.stop();
    process.exit(0);
  }
});
process.send!({ url: server.url, fixture });
