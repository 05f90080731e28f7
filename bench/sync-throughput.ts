import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import pg from "pg";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../server/src/config.js";
import { buildHttpServer } from "../server/src/http/server.js";
import { createServices, type RunningServices } from "../server/src/services.js";
import { createScratchDatabase, type ScratchDatabase } from "../tests/support/database.js";
import { createDevice } from "../tests/support/device.js";
import { Mailbox } from "../tests/support/mailbox.js";
import { serverClient } from "../apps/desktop/src/core/sync/server-transport.js";
import { withTenant } from "../server/src/db/tenant.js";
import { insertEntries, type EntryState } from "../server/src/sync/bulk-writes.js";

export interface SyncFigures {
  database: string;
  entries: number;
  pushPerSecond: number;
  /**
   * The same kind of rows inserted straight into the database with the push's own bulk insert, in
   * tenant transactions as the app role (same indexes, exclusion constraint, triggers, row-level
   * security), batch for batch beside the push: its ceiling.
   */
  directInsertPerSecond: number;
  pullPerSecond: number;
  reconnectSeconds: number;
}

export interface BenchServer {
  url: string;
  /** The running server's services (its database handle is the app role's). */
  services: RunningServices;
  /** Superuser URL of the scratch database (PostgreSQL only). */
  adminUrl: string | null;
  /** The mails the server sent (sign-up codes). */
  mailbox: Mailbox;
  stop: () => Promise<void>;
}

/** Entries `from` to `to` (exclusive) of a series starting at `base`, ten minutes apart, five long. */
function benchEntries(base: number, from: number, to: number): EntryState[] {
  const rows: EntryState[] = [];
  for (let j = from; j < to; j++) {
    rows.push({
      id: randomUUID(),
      projectId: null,
      taskId: null,
      description: `entry ${j}`,
      start: new Date(base + j * 600_000),
      end: new Date(base + j * 600_000 + 300_000),
      billable: false,
      tagIds: [],
    });
  }
  return rows;
}

/** A real HTTP server on a scratch PostgreSQL database or an in-memory PGlite. */
export async function startServer(kind: "postgres" | "pglite", extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  let scratch: ScratchDatabase | null = null;
  const env: Record<string, string> = {
    PASSWORD_COST: "low",
    LOG_LEVEL: "silent",
    DATA_DIR: "memory://",
    USER_RATE_LIMIT_PER_MINUTE: "1000000",
    SIGNUP_MAX_PER_IP_PER_HOUR: "1000000",
    ...extraEnv,
  };
  if (kind === "postgres") {
    scratch = await createScratchDatabase();
    env.DATABASE_URL = scratch.appUrl;
    env.MIGRATION_DATABASE_URL = scratch.adminUrl;
  }
  const mailbox = new Mailbox();
  const services: RunningServices = await createServices(loadConfig(env as NodeJS.ProcessEnv), { mailer: mailbox });
  const app: FastifyInstance = await buildHttpServer(services);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    services,
    adminUrl: scratch?.adminUrl ?? null,
    mailbox,
    stop: async () => {
      await app.close();
      await services.close();
      await scratch?.drop();
    },
  };
}

/**
 * Brings the planner's table statistics up to date, as a running server has
 * them: autovacuum analyzes changed tables on PostgreSQL, the embedded
 * schedule on PGlite, each about once a minute. A bench phase lasts seconds,
 * so without this every query would be planned for the empty tables the run
 * started with (the timeline probe then scans the person's whole history).
 */
export async function refreshStatistics(server: BenchServer): Promise<void> {
  if (server.adminUrl) {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      await admin.query("ANALYZE");
    } finally {
      await admin.end();
    }
  } else {
    await server.services.db.analyzeChangedTables?.();
  }
}

/** A new owner with a workspace of their own on a bench server (signed up and confirmed), and the API signed in as them. */
export async function signUpOwner(server: BenchServer, workspaceName: string) {
  const anonymous = serverClient(server.url, { token: () => null });
  const email = `bench-${randomUUID()}@example.test`;
  await anonymous.auth.signUp.mutate({ email, password: "benchmark password", name: "Bench Owner", workspaceName });
  const signup = await anonymous.auth.confirmSignUp.mutate({ code: server.mailbox.codeFor(email) });
  return { ...signup, email, api: serverClient(server.url, { token: () => signup.token, workspaceId: signup.workspaceId }) };
}

/**
 * Push and pull throughput over real HTTP, and the time from reconnect to
 * fully synced for a device that spent a long time offline.
 */
export async function benchSync(kind: "postgres" | "pglite", count: number): Promise<SyncFigures> {
  const server = await startServer(kind);
  try {
    const { api, ...signup } = await signUpOwner(server, "Bench");
    await api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });

    // Push: the raw protocol, batches of 1,000 mutations. Beside each batch, the same kind of rows
    // go straight into the database (the push's ceiling), so both see the same machine and warmth.
    const clientId = randomUUID();
    await api.sync.registerClient.mutate({ clientId, name: "bench" });
    let mutationId = 0;
    const push = (rows: EntryState[]) =>
      api.sync.push.mutate({
        clientId,
        mutations: rows.map((e) => ({
          mutationId: ++mutationId,
          name: "entry.put",
          args: { id: e.id, start: e.start.toISOString(), end: e.end!.toISOString(), description: e.description },
        })),
      });
    const direct = (rows: EntryState[]) =>
      withTenant(server.services.db.prisma, signup.workspaceId, async (db) => {
        await db.$executeRaw`SET CONSTRAINTS time_entries_no_overlap DEFERRED`;
        await insertEntries(db, signup.workspaceId, signup.user.id, rows);
      });
    const WARM_UP = 200;
    await push(benchEntries(Date.UTC(2026, 0, 1), 0, WARM_UP));
    await direct(benchEntries(Date.UTC(2026, 6, 1), 0, WARM_UP));
    await refreshStatistics(server);
    let pushMs = 0;
    let directMs = 0;
    for (let i = 0; i < count; i += 1000) {
      const end = Math.min(count, i + 1000);
      let t = performance.now();
      await push(benchEntries(Date.UTC(2027, 0, 1), i, end));
      pushMs += performance.now() - t;
      t = performance.now();
      await direct(benchEntries(Date.UTC(2031, 0, 1), i, end));
      directMs += performance.now() - t;
    }
    const stored = 2 * (count + WARM_UP);

    // Pull: everything from cursor 0, pages of 5,000.
    await refreshStatistics(server);
    const t1 = performance.now();
    let cursor = 0;
    let pulled = 0;
    for (;;) {
      const page = await api.sync.pull.query({ cursor, limit: 5000 });
      pulled += page.entries.length;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const pullSeconds = (performance.now() - t1) / 1000;
    if (pulled !== stored) throw new Error(`pulled ${pulled} of ${stored}`);

    // Reconnect: a device with `count` offline entries syncs once (push all, pull back).
    const device = createDevice({ serverUrl: server.url });
    await device.core.logIn({ serverUrl: server.url, email: signup.user.email, password: "benchmark password" });
    await device.core.syncNow();
    const scope = device.core.scope();
    const offlineBase = Date.UTC(2029, 0, 1);
    for (let i = 0; i < count; i++) {
      device.core.tracker.createManual(scope, { start: offlineBase + i * 600_000, end: offlineBase + i * 600_000 + 300_000 });
    }
    await refreshStatistics(server);
    const t2 = performance.now();
    await device.core.syncNow();
    const reconnectSeconds = (performance.now() - t2) / 1000;
    if (device.core.syncStatus(scope.workspaceId).pending !== 0) throw new Error("device did not finish syncing");
    device.close();
    rmSync(device.dir, { recursive: true, force: true });

    return {
      database: kind === "postgres" ? "PostgreSQL 15 (127.0.0.1)" : "PGlite (embedded)",
      entries: count,
      pushPerSecond: count / (pushMs / 1000),
      directInsertPerSecond: count / (directMs / 1000),
      pullPerSecond: pulled / pullSeconds,
      reconnectSeconds,
    };
  } finally {
    await server.stop();
  }
}
