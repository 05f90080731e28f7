import type { FastifyInstance } from "fastify";
import { loadConfig } from "../../server/src/config.js";
import { buildHttpServer } from "../../server/src/http/server.js";
import { createServices, type RunningServices } from "../../server/src/services.js";
import { createScratchDatabase, type ScratchDatabase } from "./database.js";
import { Mailbox } from "./mailbox.js";
import { auditStatements } from "./query-audit.js";

/**
 * A real server on a scratch PostgreSQL database that can be stopped and
 * started again on the same data (each start takes a new port), for tests of
 * what devices do while the server goes away. Statements of every run are
 * audited on dispose.
 */
export class RestartableServer {
  private app: FastifyInstance | null = null;
  private services: RunningServices | null = null;
  private readonly statements: string[] = [];
  private currentUrl: string | null = null;
  /** Every mail the server sent, across restarts (sign-up codes among them). */
  readonly mailbox = new Mailbox();

  private constructor(private readonly scratch: ScratchDatabase) {}

  static async create(): Promise<RestartableServer> {
    const server = new RestartableServer(await createScratchDatabase());
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
      DATABASE_URL: this.scratch.appUrl,
      MIGRATION_DATABASE_URL: this.scratch.adminUrl,
      PASSWORD_COST: "low",
      LOG_LEVEL: "silent",
      DB_POOL_MAX: "4",
      USER_RATE_LIMIT_PER_MINUTE: "1000000",
      SIGNUP_MAX_PER_IP_PER_HOUR: "100000",
    } as NodeJS.ProcessEnv);
    this.services = await createServices(config, { onQuery: (sql) => this.statements.push(sql), mailer: this.mailbox });
    this.app = await buildHttpServer(this.services);
    await this.app.listen({ host: "127.0.0.1", port: 0 });
    const address = this.app.server.address();
    this.currentUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }

  async stop(): Promise<void> {
    this.currentUrl = null;
    await this.app?.close();
    await this.services?.close();
    this.app = null;
    this.services = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.scratch.drop();
    const violations = auditStatements(this.statements);
    if (violations.length) throw new Error(`Query audit: ${violations.length} unscoped statement(s), e.g. ${violations[0]!.sql}`);
  }
}
