import type { PGlite } from "@electric-sql/pglite";

/**
 * PGlite runs no autovacuum, so without help the planner never gets table
 * statistics and picks plans for empty tables (a year's report took 700 ms
 * instead of 70 ms). This does autovacuum's ANALYZE part: tables whose rows
 * changed by more than 50 + 10% since they were last analyzed (the same
 * threshold autovacuum uses) are analyzed.
 *
 * The app role owns no table, so the single session steps up to its login
 * role for the statement and back down inside the same implicit transaction:
 * `exec` holds PGlite's transaction lock, so no other query runs in between,
 * and if ANALYZE fails the transaction rolls back to the app role with it.
 */
export async function analyzeChangedTables(pglite: PGlite, appRole: string): Promise<string[]> {
  // Row counts reach the shared statistics at most once a second, when the session goes idle:
  // flush what the last second's writes left pending, or a burst of writes goes unseen.
  await pglite.query("SELECT pg_stat_force_next_flush()");
  await pglite.query("SELECT 1");
  const { rows } = await pglite.query<{ name: string }>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0)
     ORDER BY 1`,
  );
  if (rows.length === 0) return [];
  const tables = rows.map((r) => r.name);
  await pglite.exec(`RESET ROLE; ANALYZE ${tables.join(", ")}; SET ROLE ${appRole}`);
  return tables;
}

/** Runs `analyzeChangedTables` every `seconds` (0: never) until stopped; failures are reported, not thrown. */
export function scheduleEmbeddedAnalyze(
  pglite: PGlite,
  appRole: string,
  seconds: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  if (seconds <= 0) return { stop: async () => {} };
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = analyzeChangedTables(pglite, appRole).catch(onError);
  }, seconds * 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
