import type { FastifyInstance } from "fastify";
import type { Services } from "../trpc/context.js";

/** How long readiness waits for the database before saying it is not reachable. */
const READY_DEADLINE_MS = 2_000;

export interface Readiness {
  /** Set when shutdown begins: a load balancer stops sending new requests before the port closes. */
  draining: boolean;
}

/**
 * /healthz: the process is alive, answered from no shared resource (no database connection, no
 * limiter), so it stays fast whatever one company's requests hold.
 * /readyz: the process can serve: the database answers as the app role (the migrations ran
 * before the server started listening: it does not start otherwise) and it is not shutting down.
 */
export function registerProbes(app: FastifyInstance, services: Services, readiness: Readiness): void {
  app.get("/healthz", async () => ({ ok: true, database: services.db.kind }));

  app.get("/readyz", async (_req, reply) => {
    if (readiness.draining) return reply.code(503).send({ ready: false, reason: "shutting down" });
    const deadline = new Promise<"late">((resolve) => setTimeout(resolve, READY_DEADLINE_MS, "late").unref());
    const answer = await Promise.race([
      services.db.prisma.$queryRaw`SELECT 1`.then(
        () => "ok" as const,
        () => "down" as const,
      ),
      deadline,
    ]);
    if (answer !== "ok") {
      return reply.code(503).send({ ready: false, reason: answer === "late" ? "database too slow to answer" : "database not reachable" });
    }
    return { ready: true, database: services.db.kind, migrations: "applied at start-up" };
  });
}
