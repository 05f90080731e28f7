import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { FastifyInstance } from "fastify";
import superjson from "superjson";
import { loadConfig, type Config } from "../../server/src/config.js";
import { buildHttpServer } from "../../server/src/http/server.js";
import type { AppRouter } from "../../server/src/routers/index.js";
import { createServices, type RunningServices } from "../../server/src/services.js";
import type { LimiterBackend } from "../../server/src/rate-limit/backend.js";
import { ATTACHMENT_HEADER } from "../../server/src/contract/attachments.js";
import { WORKSPACE_HEADER } from "../../server/src/trpc/context.js";
import { createScratchDatabase, testDbKind, type ScratchDatabase } from "./database.js";
import { Mailbox } from "./mailbox.js";
import { auditStatements } from "./query-audit.js";

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface TestServer {
  url: string;
  services: RunningServices;
  /** Every SQL statement the server sent, in order. */
  statements: string[];
  /** Superuser URL of the scratch database (PostgreSQL only): for tests that hold locks from outside. */
  adminUrl: string | null;
  /** Every mail the server sent (sign-up codes among them). */
  mailbox: Mailbox;
  /** A client over real HTTP, optionally signed in and naming a workspace. */
  client(auth?: { token?: string; workspaceId?: string; ip?: string }): ApiClient;
  /** Stops the server, drops its database, and fails if any statement escaped the query audit. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Partial<Record<keyof Config, string>>;
  limiterBackend?: LimiterBackend;
  /** Skip the query audit on close (only for tests that deliberately run unscoped SQL). */
  skipQueryAudit?: boolean;
  /** Where the server's log lines go (with env LOG_LEVEL set), instead of stdout. */
  logDestination?: { write(line: string): void };
}

/** A real server on a real port, on a fresh database of the suite's kind. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const kind = testDbKind();
  let scratch: ScratchDatabase | null = null;
  const env: Record<string, string | undefined> = {
    PASSWORD_COST: "low",
    LOG_LEVEL: process.env.TEST_SERVER_LOG_LEVEL ?? "silent",
    DATA_DIR: "memory://",
    DB_POOL_MAX: "4",
    // Every test file signs its people up from 127.0.0.1; the sign-up limit has tests of its own.
    SIGNUP_MAX_PER_IP_PER_HOUR: "100000",
    ...opts.env,
  };
  if (kind === "postgres") {
    scratch = await createScratchDatabase();
    env.DATABASE_URL = scratch.appUrl;
    env.MIGRATION_DATABASE_URL = scratch.adminUrl;
  }
  const config = loadConfig(env as NodeJS.ProcessEnv);
  const statements: string[] = [];
  const mailbox = new Mailbox();
  const services = await createServices(config, {
    onQuery: (sql) => statements.push(sql),
    limiterBackend: opts.limiterBackend,
    mailer: mailbox,
    logDestination: opts.logDestination,
  });
  let app: FastifyInstance;
  try {
    app = await buildHttpServer(services);
    await app.listen({ host: "127.0.0.1", port: 0 });
  } catch (err) {
    await services.close();
    await scratch?.drop();
    throw err;
  }
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    services,
    statements,
    adminUrl: scratch?.adminUrl ?? null,
    mailbox,
    client: (auth = {}) => apiClient(url, auth),
    close: async () => {
      await app.close();
      await services.close();
      await scratch?.drop();
      if (!opts.skipQueryAudit) {
        const violations = auditStatements(statements);
        if (violations.length > 0) {
          throw new Error(
            `Query audit: ${violations.length} statement(s) on tenant tables without tenant_id:\n` +
              violations.slice(0, 5).map((v) => `  [${v.tables.join(",")}] ${v.sql.slice(0, 300)}`).join("\n"),
          );
        }
      }
    },
  };
}

/** A tRPC client of the server at `url` over real HTTP, optionally signed in and naming a workspace. */
export function apiClient(url: string, auth: { token?: string; workspaceId?: string } = {}): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: ({ op }) => ({
          ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
          ...(auth.workspaceId ? { [WORKSPACE_HEADER]: auth.workspaceId } : {}),
          // An upload's metadata: `mutate(file, { context: { attachment: encodeAttachmentHeader(meta) } })`.
          ...(typeof op.context.attachment === "string" ? { [ATTACHMENT_HEADER]: op.context.attachment } : {}),
        }),
      }),
    ],
  });
}

/** The tRPC error code of a rejected call (e.g. "NOT_FOUND"), or null when it succeeded. */
export async function errorCodeOf(call: Promise<unknown>): Promise<string | null> {
  try {
    await call;
    return null;
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code ?? "UNKNOWN";
    throw err;
  }
}

/** The full tRPC error of a call that must fail. */
export async function rejectionOf(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TRPCClientError) return err as TRPCClientError<AppRouter>;
    throw err;
  }
  throw new Error("Expected the call to fail, but it succeeded");
}
