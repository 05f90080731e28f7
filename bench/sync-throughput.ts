import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import pg from "pg";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../server/src/config.js";
import { buildHttpServer } from "../server/src/http/server.js";
import { createServices, type RunningServices } from "../server/src/services.js";
import { createScratchDatabase, type ScratchDatabase } from "../tests/support/database.js";
import { Mailbox } from "../tests/support/mailbox.js";
import { serverClient } from "../apps/desktop/src/core/sync/server-transport.js";
import { withTenant } from "../server/src/db/tenant.js";
import { insertEntries, type EntryState } from "../server/src/sync/bulk-writes.js";
import { benchEntries } from "./bench-entries.js";

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

/** A TypeScript module in a worker thread (the worker registers tsx itself: loaders are per thread). */
function deviceThread(module: URL, workerData: unknown): Worker {
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
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
  // PGlite in a folder on disk, as `npm start` runs it (in memory, its file system copies every
  // table file each time it outgrows its buffer, a cost no deployment pays).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hoursync-bench-"));
  const server = await startServer(kind, { DATA_DIR: dataDir });
  try {
    const { api, ...signup } = await signUpOwner(server, "Bench");
    await api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });

    // Push: the raw protocol, batches of 1,000 mutations, from a device in a worker thread. Beside
    // each batch, the same kind of rows go straight into the database (the push's ceiling), so both
    // see the same machine and warmth.
    const clientId = randomUUID();
    await api.sync.registerClient.mutate({ clientId, name: "bench" });
    const pusher = deviceThread(new URL("./push-device.ts", import.meta.url), {
      url: server.url,
      token: signup.token,
      workspaceId: signup.workspaceId,
      clientId,
    });
    const push = (base: number, from: number, to: number) =>
      new Promise<number>((resolve, reject) => {
        const answered = ({ ms, refused }: { ms: number; refused: number }) => {
          pusher.off("error", failed);
          if (refused) reject(new Error(`${refused} mutations refused`));
          else resolve(ms);
        };
        const failed = (err: Error) => {
          pusher.off("message", answered);
          reject(err);
        };
        pusher.once("message", answered);
        pusher.once("error", failed);
        pusher.postMessage({ base, from, to });
      });
    const direct = (rows: EntryState[]) =>
      withTenant(server.services.db.prisma, signup.workspaceId, async (db) => {
        await db.$executeRaw`SET CONSTRAINTS time_entries_no_overlap DEFERRED`;
        await insertEntries(db, signup.workspaceId, signup.user.id, rows);
      });
    const WARM_UP = 200;
    await push(Date.UTC(2026, 0, 1), 0, WARM_UP);
    await direct(benchEntries(Date.UTC(2026, 6, 1), 0, WARM_UP));
    await refreshStatistics(server);
    let pushMs = 0;
    let directMs = 0;
    for (let i = 0; i < count; i += 1000) {
      const end = Math.min(count, i + 1000);
      pushMs += await push(Date.UTC(2027, 0, 1), i, end);
      const t = performance.now();
      await direct(benchEntries(Date.UTC(2031, 0, 1), i, end));
      directMs += performance.now() - t;
    }
    await pusher.terminate();
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

    // Reconnect: a device (in a worker thread) with `count` offline entries syncs once (push all, pull back).
    const offline = deviceThread(new URL("./offline-device.ts", import.meta.url), {
      url: server.url,
      email: signup.user.email,
      password: "benchmark password",
      count,
    });
    const ask = async <T>(step: string) => {
      const answer = once(offline, "message") as Promise<[T]>;
      offline.postMessage(step);
      return (await answer)[0];
    };
    const prepared = await ask<{ pending: number }>("prepare");
    if (prepared.pending < count) throw new Error(`only ${prepared.pending} changes pending`);
    await refreshStatistics(server);
    const synced = await ask<{ seconds: number; pending: number }>("sync");
    if (synced.pending !== 0) throw new Error("device did not finish syncing");
    const reconnectSeconds = synced.seconds;
    await ask("close");
    await offline.terminate();

    return {
      database: kind === "postgres" ? "PostgreSQL 15 (127.0.0.1)" : "PGlite (embedded, on disk)",
      entries: count,
      pushPerSecond: count / (pushMs / 1000),
      directInsertPerSecond: count / (directMs / 1000),
      pullPerSecond: pulled / pullSeconds,
      reconnectSeconds,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
