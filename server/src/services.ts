import type { DestinationStream } from "pino";
import { createLogger } from "./observability/logger.js";
import type { Config } from "./config.js";
import { memoryTenantCache, type TenantCache } from "./cache/tenant-cache.js";
import { sharedTenantCache } from "./cache/shared-tenant-cache.js";
import { openDatabase } from "./db/connect.js";
import { openAttachmentFiles } from "./storage/attachment-files.js";
import type { QueryListener } from "./db/query-log.js";
import { memoryBackend, redisBackend, type LimiterBackend } from "./rate-limit/backend.js";
import { ExportSlots } from "./export/export-slots.js";
import { HashingGate } from "./auth/hashing-gate.js";
import { Passwords } from "./auth/passwords.js";
import { loggingMailer, type Mailer } from "./jobs/mailer.js";
import { HeavyWorkGate } from "./rate-limit/heavy-work.js";
import { LoginThrottle } from "./rate-limit/login.js";
import { RequestLimits } from "./rate-limit/requests.js";
import { SignUpThrottle } from "./rate-limit/sign-up.js";
import type { Services } from "./trpc/context.js";
import { Metrics } from "./observability/metrics.js";

export interface RunningServices extends Services {
  close(): Promise<void>;
}

/** Wires the process-wide parts from the configuration. */
export async function createServices(
  config: Config,
  opts: { onQuery?: QueryListener; limiterBackend?: LimiterBackend; mailer?: Mailer; logDestination?: DestinationStream } = {},
): Promise<RunningServices> {
  const logger = createLogger(config.LOG_LEVEL, opts.logDestination);
  const log: Services["log"] = (level, msg, extra) => logger[level](extra ?? {}, msg);
  const db = await openDatabase({
    url: config.DATABASE_URL,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DB_POOL_MAX,
    poolWaitMs: config.DB_POOL_WAIT_MS,
    onQuery: opts.onQuery,
    embeddedAnalyzeSeconds: config.EMBEDDED_ANALYZE_SECONDS,
    onMaintenanceError: (err) => log("error", "embedded database analyze failed", { error: String(err) }),
  });
  const attachments = await openAttachmentFiles(config);
  const metrics = new Metrics();
  metrics.watchDatabase(db);
  const backend = opts.limiterBackend ?? (config.REDIS_URL ? redisBackend(config.REDIS_URL, config.REDIS_PREFIX) : memoryBackend());
  const cache = tenantCache(config, log);
  return {
    db,
    attachments,
    cache,
    ...guards(config, backend),
    mailer: opts.mailer ?? loggingMailer(log),
    metrics,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    log,
    logger,
    close: async () => {
      cache.close?.();
      await backend.close();
      await db.close();
      await attachments.close();
    },
  };
}

/** Per process, or shared through Redis when there is one (several processes then drop each other's stale entries). */
function tenantCache(config: Config, log: Services["log"]): TenantCache & { close?(): void } {
  if (!config.REDIS_URL) return memoryTenantCache();
  return sharedTenantCache({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, log });
}

/**
 * What keeps one caller or company from using up the process: request
 * budgets, log-in and sign-up throttles (their counters in `backend`), the
 * password hashing gate, the export caps and the places for heavy reads.
 */
export function guards(config: Config, backend: LimiterBackend) {
  return {
    limits: new RequestLimits(backend, config.USER_RATE_LIMIT_PER_MINUTE),
    loginThrottle: new LoginThrottle(backend, {
      freeFailsPerAccount: config.LOGIN_FREE_FAILS_PER_ACCOUNT,
      maxDelaySeconds: config.LOGIN_MAX_DELAY_SECONDS,
      maxAccountsPerIp: config.LOGIN_MAX_ACCOUNTS_PER_IP,
      ipBlockSeconds: config.LOGIN_IP_BLOCK_SECONDS,
      knownAddressDays: config.LOGIN_KNOWN_ADDRESS_DAYS,
    }),
    signUpThrottle: new SignUpThrottle(backend, config.SIGNUP_MAX_PER_IP_PER_HOUR),
    passwords: new Passwords(
      config.PASSWORD_COST,
      new HashingGate({ concurrency: config.PASSWORD_HASH_CONCURRENCY, maxWaiting: config.PASSWORD_HASH_QUEUE }),
    ),
    exports: {
      slots: new ExportSlots({ perWorkspace: config.EXPORT_MAX_PER_WORKSPACE, perUser: config.EXPORT_MAX_PER_USER }),
    },
    heavy: {
      gate: new HeavyWorkGate({
        perWorkspace: config.HEAVY_MAX_PER_WORKSPACE,
        queue: config.HEAVY_QUEUE_PER_WORKSPACE,
        queueWaitMs: config.HEAVY_QUEUE_WAIT_MS,
        time: { share: config.HEAVY_TIME_SHARE, burstMs: config.HEAVY_BURST_MS },
      }),
      tx: { statementTimeoutMs: config.HEAVY_STATEMENT_TIMEOUT_MS, parallelWorkers: config.HEAVY_PARALLEL_WORKERS },
    },
    archiveImport: {
      maxBytes: config.ARCHIVE_IMPORT_MAX_BYTES,
      maxExpandedBytes: config.ARCHIVE_IMPORT_MAX_EXPANDED_BYTES,
      maxEntries: config.ARCHIVE_IMPORT_MAX_ENTRIES,
      maxRunning: config.ARCHIVE_IMPORT_MAX_RUNNING,
    },
    slowClientTimeoutMs: config.SLOW_CLIENT_TIMEOUT_MS,
    http: { corsOrigins: config.CORS_ORIGINS, requestTimeoutMs: config.REQUEST_TIMEOUT_MS, metricsToken: config.METRICS_TOKEN ?? null },
  } satisfies Partial<Services>;
}
