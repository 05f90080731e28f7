import { createHash, timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import type { Metrics } from "../observability/metrics.js";

export interface MetricsAccess {
  /** Bearer token a scrape must send; null = none asked (only on the separate metrics address). */
  token: string | null;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Compares in constant time (hashes first, so lengths do not show either). */
function tokenMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
  return timingSafeEqual(digest(given), digest(token));
}

/** GET /metrics: the Prometheus text, behind the token when one is configured. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, access: MetricsAccess): void {
  app.get("/metrics", async (req, reply) => {
    if (access.token !== null && !tokenMatches(req.headers.authorization, access.token)) {
      return reply.code(401).header("www-authenticate", 'Bearer realm="metrics"').send({ error: "Metrics need the metrics token" });
    }
    const { contentType, body } = await metrics.exposition();
    return reply.type(contentType).header("cache-control", "no-store").send(body);
  });
}

/** "host:port" of METRICS_ADDRESS; IPv6 hosts in brackets ("[::1]:9464"). */
export function parseMetricsAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new Error(`METRICS_ADDRESS must be host:port, not "${address}"`);
  return { host: (match[1] ?? match[2])!, port };
}

/**
 * A listener of its own for /metrics (METRICS_ADDRESS): kept off the API's port, so the scrape can
 * live on an interface only the monitoring network reaches. It serves nothing else.
 */
export async function startMetricsListener(metrics: Metrics, address: string, access: MetricsAccess): Promise<FastifyInstance> {
  const { host, port } = parseMetricsAddress(address);
  const app = Fastify({ logger: false, forceCloseConnections: true });
  registerMetricsRoute(app, metrics, access);
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: "Not found" }));
  await app.listen({ host, port });
  return app;
}
