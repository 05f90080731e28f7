import { createLogger } from "../../server/src/observability/logger.js";
import { Metrics } from "../../server/src/observability/metrics.js";
import { memoryTenantCache } from "../../server/src/cache/tenant-cache.js";
import { loadConfig } from "../../server/src/config.js";
import { buildHttpServer } from "../../server/src/http/server.js";
import type { LimiterBackend } from "../../server/src/rate-limit/backend.js";
import { guards, type RunningServices } from "../../server/src/services.js";
import { apiClient, type TestServer } from "./server.js";

/**
 * Another server instance on the same database as `primary`, as a second
 * replica behind a load balancer would be: its own HTTP server, cache and
 * rate-limit backend (wired as createServices wires them, with default
 * limits but for sign-ups, which every test makes from one address). It can
 * stand in for a TestServer (createCompany works on it; its mails land in the
 * primary's mailbox). Closing it closes its backend but leaves the shared
 * database to the primary, whose close() also runs the query audit over the
 * sibling's statements.
 */
export async function startSiblingServer(primary: TestServer, backend: LimiterBackend): Promise<TestServer> {
  const config = loadConfig({ PASSWORD_COST: "low", LOG_LEVEL: "silent", SIGNUP_MAX_PER_IP_PER_HOUR: "100000" } as NodeJS.ProcessEnv);
  const services: RunningServices = {
    db: primary.services.db,
    // The same files as the primary, as replicas share one storage.
    attachments: primary.services.attachments,
    cache: memoryTenantCache(),
    ...guards(config, backend),
    mailer: primary.mailbox,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    log: () => {},
    logger: createLogger("silent"),
    metrics: new Metrics({ processMetrics: false }),
    close: () => backend.close(),
  };
  const app = await buildHttpServer(services);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    services,
    statements: primary.statements,
    adminUrl: primary.adminUrl,
    mailbox: primary.mailbox,
    client: (auth = {}) => apiClient(url, auth),
    close: async () => {
      await app.close();
      await services.close();
    },
  };
}
