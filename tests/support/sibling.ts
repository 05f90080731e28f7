import { memoryTenantCache } from "../../server/src/cache/tenant-cache.js";
import { loadConfig } from "../../server/src/config.js";
import { buildHttpServer } from "../../server/src/http/server.js";
import type { LimiterBackend } from "../../server/src/rate-limit/backend.js";
import { LoginThrottle } from "../../server/src/rate-limit/login.js";
import { RequestLimits } from "../../server/src/rate-limit/requests.js";
import type { RunningServices } from "../../server/src/services.js";
import { apiClient, type TestServer } from "./server.js";

/**
 * Another server instance on the same database as `primary`, as a second
 * replica behind a load balancer would be: its own HTTP server, cache and
 * rate-limit backend (wired as createServices wires them, with default
 * limits). It can stand in for a TestServer (createCompany works on it).
 * Closing it closes its backend but leaves the shared database to the primary,
 * whose close() also runs the query audit over the sibling's statements.
 */
export async function startSiblingServer(primary: TestServer, backend: LimiterBackend): Promise<TestServer> {
  const config = loadConfig({ PASSWORD_COST: "low", LOG_LEVEL: "silent" } as NodeJS.ProcessEnv);
  const services: RunningServices = {
    db: primary.services.db,
    // The same files as the primary, as replicas share one storage.
    attachments: primary.services.attachments,
    cache: memoryTenantCache(),
    limits: new RequestLimits(backend, config.USER_RATE_LIMIT_PER_MINUTE),
    loginThrottle: new LoginThrottle(backend, {
      maxFailsPerAccount: config.LOGIN_MAX_FAILS_PER_ACCOUNT,
      maxFailsPerIp: config.LOGIN_MAX_FAILS_PER_IP,
      blockSeconds: config.LOGIN_BLOCK_SECONDS,
    }),
    passwordCost: config.PASSWORD_COST,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    log: () => {},
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
    client: (auth = {}) => apiClient(url, auth),
    close: async () => {
      await app.close();
      await services.close();
    },
  };
}
