import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import { randomUUID } from "node:crypto";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { registerAttachmentRoutes } from "../attachments/download-route.js";
import { registerExportRoutes } from "../export/routes.js";
import { registerWorkspaceExportRoute } from "../offboarding/export-route.js";
import { registerArchiveImportRoute } from "../import/archive-import-route.js";
import { appRouter, type AppRouter } from "../routers/index.js";
import { requestInfo, type Services } from "../trpc/context.js";
import { homePage } from "./home-page.js";
import { registerProbes, type Readiness } from "./probes.js";
import { runInRequest, type RequestContext } from "../observability/request-context.js";
import { registerUploadRoute } from "./upload-route.js";
import { registerMetricsRoute } from "./metrics-route.js";

/**
 * The HTTP face of the API: tRPC under /trpc, CSV exports under /export, attachment files under
 * /attachments, probes at /healthz and /readyz. `readiness.draining` turns /readyz to 503 when
 * shutdown begins.
 */
export interface HttpServerOptions {
  /**
   * How closing treats connections. A number: the server drains (idle kept-alive connections close
   * at once, requests running finish) and whatever is still open after that many ms is cut (the
   * served process, on SIGTERM). Null: closing cuts every connection at once (tests and benchmarks,
   * which close servers by the hundred and must not wait on a stalled client).
   */
  shutdownGraceMs?: number | null;
}

export async function buildHttpServer(
  services: Services,
  readiness: Readiness = { draining: false },
  opts: HttpServerOptions = {},
): Promise<FastifyInstance> {
  const graceMs = opts.shutdownGraceMs ?? null;
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    // A proxy's request id is kept when it looks like one, so one id follows a request end to end.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // One line per request, written below with its workspace and user, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    // Draining closes idle kept-alive connections and lets running requests finish; the grace
    // period below bounds it (a fetch client that has just downloaded a file with a Content-Length
    // was once seen holding close open: README, known limits). Requests that arrive on an open
    // connection meanwhile get 503 with Connection: close (fastify's return503OnClosing).
    forceCloseConnections: graceMs === null ? true : "idle",
    bodyLimit: 5 * 1024 * 1024,
    requestTimeout: services.http.requestTimeoutMs,
    routerOptions: { maxParamLength: 5000 },
  });

  if (graceMs !== null) {
    let sweep: NodeJS.Timeout | undefined;
    app.addHook("preClose", (done) => {
      // Node closes the connections that are idle when closing starts; one whose request finishes
      // later would stay open as kept-alive (fastify keeps them 72 s) and hold the close. So they
      // are closed as they fall idle, and everything left is cut at the end of the grace period.
      sweep = setInterval(() => app.server.closeIdleConnections(), 100).unref();
      setTimeout(() => app.server.closeAllConnections(), graceMs).unref();
      done();
    });
    app.addHook("onClose", (_app, done) => {
      clearInterval(sweep);
      done();
    });
  }

  // Every log line written while a request runs (its procedure, the database layer, the mailer)
  // names the request, and its workspace and user once they are known.
  const contexts = new WeakMap<object, RequestContext>();
  app.addHook("onRequest", (req, _reply, done) => {
    const context: RequestContext = { requestId: req.id };
    contexts.set(req, context);
    runInRequest(context, done);
  });
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });
  // Written when the answer has gone (outside the request's async context, hence the explicit fields);
  // the path only, since a query string can hold what someone searched for.
  app.addHook("onResponse", async (req, reply) => {
    const context = contexts.get(req);
    services.logger.info(
      { ...context, method: req.method, path: req.url.split("?")[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      "request completed",
    );
    // The registered pattern, never the path (which holds ids); tRPC's one wildcard route is named per procedure by its own metrics.
    services.metrics.httpAnswered(req.routeOptions.url ?? "unmatched", req.method, reply.statusCode);
  });

  // Security headers on every answer (the hijacked file and CSV streams too: they are set on the
  // raw response before the route runs).
  await app.register(helmet, { global: true });
  // Closed unless origins are configured: the desktop app calls from Node, not from a page.
  if (services.http.corsOrigins.length) await app.register(cors, { origin: services.http.corsOrigins, credentials: false });

  app.get("/", async (req, reply) => {
    const origin = `${req.protocol}://${req.host}`;
    return reply.type("text/html; charset=utf-8").send(homePage(origin, services.db.kind));
  });

  registerProbes(app, services, readiness);
  // On the API's port only with a token; METRICS_ADDRESS serves it on a listener of its own (main.ts).
  if (services.http.metricsToken) registerMetricsRoute(app, services.metrics, { token: services.http.metricsToken });

  const trpcOptions = {
    router: appRouter,
    createContext: ({ req }) => ({ services, req: requestInfo(req.headers, req.ip) }),
    responseMeta({ errors }) {
      const wait = errors
        .map((e) => (e.cause as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds)
        .find((s) => typeof s === "number");
      return wait ? { headers: new Headers({ "retry-after": String(wait) }) } : {};
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        services.log("error", "internal error", { path, error: String(error.cause ?? error) });
      }
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"];

  registerUploadRoute(app, "/trpc/attachments.upload", trpcOptions);
  await app.register(fastifyTRPCPlugin, { prefix: "/trpc", trpcOptions });

  registerExportRoutes(app, services);
  registerWorkspaceExportRoute(app, services);
  registerAttachmentRoutes(app, services);
  registerArchiveImportRoute(app, services);

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: "Not found" }));
  app.setErrorHandler((error, _req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof Error ? error.message : "Bad request";
    reply.code(status >= 400 && status < 600 ? status : 500).send({ error: status >= 500 ? "Internal server error" : message });
  });
  return app;
}
