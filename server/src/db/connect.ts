import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client.js";
import { analyzeChangedTables, scheduleEmbeddedAnalyze } from "./embedded-analyze.js";
import { migrate } from "./migrate.js";
import { OpenTransactions } from "./open-transactions.js";
import { withQueryLog, type QueryListener } from "./query-log.js";
import type { PoolStats } from "../observability/metrics.js";
import { pgliteAdmin, postgresAdmin } from "./sql-admin.js";

export const APP_ROLE = "hoursync_app";

export interface DatabaseOptions {
  /** postgresql:// URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** Privileged URL for migrations (defaults to `url`). */
  migrationUrl?: string;
  /** Folder for the embedded database; "memory://" keeps it in memory. */
  dataDir: string;
  poolMax: number;
  /**
   * How long a unit of work waits for a connection (a free pool connection,
   * PGlite's one session) before it is refused as busy. Default 10 s.
   */
  poolWaitMs?: number;
  onQuery?: QueryListener;
  /** Embedded only: how often to analyze changed tables (PGlite has no autovacuum); 0 turns it off. */
  embeddedAnalyzeSeconds?: number;
  /** Where embedded maintenance reports a failure. */
  onMaintenanceError?: (err: unknown) => void;
}

/**
 * The change sequence and the writing device are sync bookkeeping: hidden
 * from every read unless a query asks for them (the sync pull does).
 */
const HIDDEN = {
  client: { changeSeq: true },
  project: { changeSeq: true },
  task: { changeSeq: true },
  tag: { changeSeq: true },
  timeEntry: { changeSeq: true, writtenByClient: true },
  attachment: { changeSeq: true },
} as const;

const DEFAULT_POOL_WAIT_MS = 10_000;

function newPrismaClient(adapter: SqlDriverAdapterFactory, poolWaitMs: number): PrismaClient {
  // Typed as the plain client: results still declare changeSeq, but it is only
  // present where a query sets `omit: { changeSeq: false }`.
  return new PrismaClient({ adapter, omit: HIDDEN, transactionOptions: { maxWait: poolWaitMs } }) as unknown as PrismaClient;
}

export interface Database {
  kind: "pglite" | "postgres";
  /** Connected as the non-superuser app role. Only db/tenant.ts and db/directory.ts use it. */
  prisma: PrismaClient;
  /**
   * Embedded only: analyzes the tables that changed enough since their last
   * analysis, as the schedule does; returns their names. Undefined on
   * PostgreSQL, where autovacuum does it.
   */
  analyzeChangedTables?: () => Promise<string[]>;
  /** Transactions open through Prisma right now. */
  openTransactions(): number;
  /** PostgreSQL only: the pool's connections. PGlite is one in-process session, with no pool. */
  pool?: () => PoolStats;
  close(): Promise<void>;
}

/** How long closing waits for open transactions: past the longest a transaction may run (15 s). */
const CLOSE_GRACE_MS = 20_000;

/** Migrates, then connects as the app role. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.url ? openPostgres(opts, opts.url) : openEmbedded(opts);
}

async function openEmbedded(opts: DatabaseOptions): Promise<Database> {
  let dataDir = opts.dataDir;
  if (dataDir !== "memory://") {
    dataDir = path.join(dataDir, "pglite");
    await mkdir(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create(dataDir, { extensions: { btree_gist } });
  await migrate(pgliteAdmin(pglite));
  // Statistics for what an earlier run left (PGlite has no autovacuum).
  await pglite.exec("ANALYZE");
  // PGlite has one session: drop to the app role before Prisma sees it.
  await pglite.exec(`SET ROLE ${APP_ROLE}`);
  const analyze = scheduleEmbeddedAnalyze(pglite, APP_ROLE, opts.embeddedAnalyzeSeconds ?? 60, (err) =>
    (opts.onMaintenanceError ?? console.error)(err),
  );
  // The adapter bundles its own copy of Prisma's adapter types; the runtime contract is the same.
  const open = new OpenTransactions();
  let factory = open.wrap(new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory);
  if (opts.onQuery) factory = withQueryLog(factory, opts.onQuery);
  const prisma = newPrismaClient(factory, opts.poolWaitMs ?? DEFAULT_POOL_WAIT_MS);
  return {
    kind: "pglite",
    prisma,
    analyzeChangedTables: () => analyzeChangedTables(pglite, APP_ROLE),
    openTransactions: () => open.count,
    close: async () => {
      await analyze.stop();
      await open.settled(CLOSE_GRACE_MS);
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(opts: DatabaseOptions, url: string): Promise<Database> {
  const admin = await postgresAdmin(opts.migrationUrl ?? url);
  try {
    await migrate(admin);
  } finally {
    await admin.close();
  }
  // A privileged login (convenient in development) is stepped down to the app
  // role at connection start-up, so RLS always applies to tenant work.
  const privileged = await isPrivileged(url);
  if (privileged) {
    console.warn(
      `[db] DATABASE_URL logs in as a privileged role; every connection runs as ${APP_ROLE}. ` +
        `Use a dedicated non-superuser login in production.`,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax,
    // A query outside a transaction waits no longer for a connection than a transaction does (maxWait).
    connectionTimeoutMillis: opts.poolWaitMs ?? DEFAULT_POOL_WAIT_MS,
    ...(privileged ? { options: `-c role=${APP_ROLE}` } : {}),
  });
  const open = new OpenTransactions();
  let factory = open.wrap(new PrismaPg(pool));
  if (opts.onQuery) factory = withQueryLog(factory, opts.onQuery);
  const prisma = newPrismaClient(factory, opts.poolWaitMs ?? DEFAULT_POOL_WAIT_MS);
  return {
    kind: "postgres",
    prisma,
    openTransactions: () => open.count,
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: opts.poolMax }),
    close: async () => {
      // Requests cut off by shutdown finish their transactions first (each has a deadline).
      await open.settled(CLOSE_GRACE_MS);
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function isPrivileged(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ privileged: boolean }>(
      "SELECT rolsuper OR rolbypassrls AS privileged FROM pg_roles WHERE rolname = current_user",
    );
    return rows[0]?.privileged ?? false;
  } finally {
    await client.end();
  }
}
