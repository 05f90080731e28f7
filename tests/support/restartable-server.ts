import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../../server/src/config.js";
import { buildHttpServer } from "../../server/src/http/server.js";
import { createServices, type RunningServices } from "../../server/src/services.js";
import { createScratchDatabase, testDbKind, type ScratchDatabase, type TestDbKind } from "./database.js";
import { auditStatements } from "./query-audit.js";

export interface RestartableServerOptions {
  /** The database to run on; defaults to the suite's (HOURSYNC_TEST_DB). */
  db?: TestDbKind;
}

/**
 * A real server that can be stopped and started again on the same data (each
 * start takes a new port), for tests of what devices do while the server goes
 * away. On PostgreSQL the data is a scratch database; on PGlite it is a folder
 * (DATA_DIR) that outlives a stop. Statements of every run are audited on
 * dispose.
 */
export class RestartableServer {
  private app: FastifyInstance | null = null;
  private services: RunningServices | null = null;
  private readonly statements: string[] = [];
  private currentUrl: string | null = null;
  /** How many times the server was started (the first start counts). */
  starts = 0;

  private constructor(
    readonly kind: TestDbKind,
    private readonly scratch: ScratchDatabase | null,
    /** The server's data folder: the embedded database (PGlite) and attachment files. */
    private readonly dataDir: string,
  ) {}

  static async create(opts: RestartableServerOptions = {}): Promise<RestartableServer> {
    const kind = opts.db ?? testDbKind();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "hoursync-server-"));
    const server = new RestartableServer(kind, kind === "postgres" ? await createScratchDatabase() : null, dataDir);
    await server.start();
    return server;
  }

  get url(): string {
    if (!this.currentUrl) throw new Error("The server is down");
    return this.currentUrl;
  }

  get up(): boolean {
    return this.currentUrl !== null;
  }

  async start(): Promise<void> {
    if (this.app) return;
    const config = loadConfig({
      ...(this.scratch ? { DATABASE_URL: this.scratch.appUrl, MIGRATION_DATABASE_URL: this.scratch.adminUrl } : {}),
      DATA_DIR: this.dataDir,
      PASSWORD_COST: "low",
      LOG_LEVEL: "silent",
      DB_POOL_MAX: "4",
      USER_RATE_LIMIT_PER_MINUTE: "1000000",
    } as NodeJS.ProcessEnv);
    this.services = await createServices(config, { onQuery: (sql) => this.statements.push(sql) });
    this.app = await buildHttpServer(this.services);
    await this.app.listen({ host: "127.0.0.1", port: 0 });
    const address = this.app.server.address();
    this.currentUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    this.starts++;
  }

  /**
   * Stops the server as its process does on SIGTERM (the HTTP server, then the services). A
   * shutdown that has not finished after `deadlineMs` is a failure: the server is abandoned
   * (dispose() still drops its database) and the error says what hung.
   */
  async stop(deadlineMs = 30_000): Promise<void> {
    this.currentUrl = null;
    const app = this.app;
    const services = this.services;
    this.app = null;
    this.services = null;
    let timer: NodeJS.Timeout | undefined;
    let phase = "app.close()";
    const shutdown = (async () => {
      await app?.close();
      phase = "services.close() (after app.close())";
      await services?.close();
    })();
    try {
      await Promise.race([
        shutdown,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`The server's shutdown hung: ${phase} had not returned after ${deadlineMs} ms`)), deadlineMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async dispose(): Promise<void> {
    try {
      await this.stop();
    } finally {
      await this.scratch?.drop();
      rmSync(this.dataDir, { recursive: true, force: true });
    }
    const violations = auditStatements(this.statements);
    if (violations.length) throw new Error(`Query audit: ${violations.length} unscoped statement(s), e.g. ${violations[0]!.sql}`);
  }
}
