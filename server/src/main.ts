import { loadConfig } from "./config.js";
import { migrate } from "./db/migrate.js";
import { postgresAdmin, pgliteAdmin } from "./db/sql-admin.js";
import { buildHttpServer } from "./http/server.js";
import { DEMO_PASSWORD, isEmpty, seedDemo, type DemoSummary } from "./seed/demo.js";
import { createServices } from "./services.js";
import { runWeeklySummary } from "./jobs/weekly-summary.js";
import { JobSchedule } from "./jobs/schedule.js";
import { parseMetricsAddress, startMetricsListener } from "./http/metrics-route.js";

async function serve() {
  const config = loadConfig();
  const services = await createServices(config);
  if (config.SEED_DEMO === "auto" && (await isEmpty(services.db.prisma))) {
    const summary = await seedDemo(services.db.prisma, services.passwords.cost);
    printDemo(summary);
  } else if (config.SEED_DEMO === "auto") {
    console.log(`Demo logins (if this database was seeded by a first run): employee@acme.test, manager@acme.test, sam@both.test ... with password "${DEMO_PASSWORD}"; the full list is in the README, "Quick start".`);
  }
  const readiness = { draining: false };
  const app = await buildHttpServer(services, readiness, { shutdownGraceMs: config.SHUTDOWN_GRACE_MS });
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  console.log(`Hoursync server on http://${config.HOST}:${port}  (API: /trpc, health: /healthz, database: ${services.db.kind})`);
  const metricsApp = config.METRICS_ADDRESS
    ? await startMetricsListener(services.metrics, config.METRICS_ADDRESS, { token: config.METRICS_TOKEN ?? null })
    : null;
  if (metricsApp) {
    const at = metricsApp.server.address();
    const { host } = parseMetricsAddress(config.METRICS_ADDRESS!);
    console.log(`Metrics on http://${host}:${typeof at === "object" && at ? at.port : "?"}/metrics`);
  }
  const jobs = new JobSchedule(services, { weeklySummary: config.WEEKLY_SUMMARY === "on", everyMs: config.JOB_CHECK_EVERY_MS });
  jobs.start();
  const stop = async (signal: string) => {
    const begun = Date.now();
    services.log("info", "shutting down", { signal, graceMs: config.SHUTDOWN_GRACE_MS });
    // /readyz answers 503 from now on; the port closes, idle connections end, running requests and
    // the running job finish (cut after the grace period); then the pool closes.
    readiness.draining = true;
    const jobsDone = jobs.stop(config.SHUTDOWN_GRACE_MS);
    await app.close();
    await metricsApp?.close();
    if (!(await jobsDone)) services.log("warn", "a scheduled job was still running at the end of the grace period");
    await services.close();
    services.log("info", "shut down", { ms: Date.now() - begun });
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

function printDemo(summary: DemoSummary) {
  console.log("Seeded demo data (first run):");
  for (const w of summary.workspaces) console.log(`  workspace ${w.name}  ${w.id}`);
  console.log(`  ${summary.entries} time entries over the last three weeks`);
  console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
  for (const l of summary.logins) console.log(`  ${l.email.padEnd(22)} ${l.roles}`);
}

async function migrateOnly() {
  const config = loadConfig();
  if (config.DATABASE_URL) {
    const admin = await postgresAdmin(config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL);
    try {
      report(await migrate(admin));
    } finally {
      await admin.close();
    }
    return;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { btree_gist } = await import("@electric-sql/pglite/contrib/btree_gist");
  const { mkdir } = await import("node:fs/promises");
  const path = await import("node:path");
  const dir = path.join(config.DATA_DIR, "pglite");
  await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create(dir, { extensions: { btree_gist } });
  try {
    report(await migrate(pgliteAdmin(pglite)));
  } finally {
    await pglite.close();
  }
}

function report(applied: string[]) {
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
}

async function seedOnly() {
  const config = loadConfig();
  const services = await createServices(config);
  try {
    if (!(await isEmpty(services.db.prisma))) {
      console.log("The database already has users; the demo seeds only an empty database.");
      return;
    }
    printDemo(await seedDemo(services.db.prisma, services.passwords.cost));
  } finally {
    await services.close();
  }
}

/** Runs the weekly summary now (`--force` runs it again even if this week's run happened). */
async function weeklySummaryNow() {
  const services = await createServices(loadConfig());
  try {
    const result = await runWeeklySummary(services.db.prisma, services.mailer, { force: process.argv.includes("--force") });
    if (!result.ran) console.log(`This week's summary (${result.runKey}) already ran; use --force to run it again.`);
    else console.log(`Weekly summary ${result.runKey}: ${result.report!.succeeded.length} of ${result.report!.tenants} workspaces done, ${result.report!.failed.length} failed.`);
  } finally {
    await services.close();
  }
}

const commands: Record<string, () => Promise<void>> = {
  serve,
  migrate: migrateOnly,
  seed: seedOnly,
  "weekly-summary": weeklySummaryNow,
};
const command = process.argv[2] ?? "serve";
const run = commands[command];
if (!run) {
  console.error(`Unknown command "${command}". Use: serve | migrate | seed | weekly-summary [--force]`);
  process.exit(2);
}
run().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
