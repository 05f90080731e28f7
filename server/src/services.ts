import type { Config } from "./config.js";
import { memoryTenantCache } from "./cache/tenant-cache.js";
import { openDatabase } from "./db/connect.js";
import { openAttachmentFiles } from "./storage/attachment-files.js";
import type { QueryListener } from "./db/query-log.js";
import { memoryBackend, redisBackend, type LimiterBackend } from "./rate-limit/backend.js";
import { ExportSlots } from "./export/export-slots.js";
import { LoginThrottle } from "./rate-limit/login.js";
import { RequestLimits } from "./rate-limit/requests.js";
import type { Services } from "./trpc/context.js";

export interface RunningServices extends Services {
  close(): Promise<void>;
}

/** Wires the process-wide parts from the configuration. */
export async function createServices(
  config: Config,
  opts: { onQuery?: QueryListener; limiterBackend?: LimiterBackend } = {},
): Promise<RunningServices> {
  const levels = ["silent", "fatal", "error", "warn", "info", "debug"];
  const threshold = levels.indexOf(config.LOG_LEVEL);
  const log: Services["log"] = (level, msg, extra) => {
    if (levels.indexOf(level) > threshold) return;
    const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...extra });
    (level === "error" ? console.error : console.log)(line);
  };
  const db = await openDatabase({
    url: config.DATABASE_URL,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DB_POOL_MAX,
    onQuery: opts.onQuery,
    embeddedAnalyzeSeconds: config.EMBEDDED_ANALYZE_SECONDS,
    onMaintenanceError: (err) => log("error", "embedded database analyze failed", { error: String(err) }),
  });
  const attachments = await openAttachmentFiles(config);
  const backend = opts.limiterBackend ?? (config.REDIS_URL ? redisBackend(config.REDIS_URL) : memoryBackend());
  return {
    db,
    attachments,
    cache: memoryTenantCache(),
    limits: new RequestLimits(backend, config.USER_RATE_LIMIT_PER_MINUTE),
    loginThrottle: new LoginThrottle(backend, {
      maxFailsPerAccount: config.LOGIN_MAX_FAILS_PER_ACCOUNT,
      maxFailsPerIp: config.LOGIN_MAX_FAILS_PER_IP,
      blockSeconds: config.LOGIN_BLOCK_SECONDS,
    }),
    passwordCost: config.PASSWORD_COST,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    exports: exportsOf(config),
    log,
    close: async () => {
      await backend.close();
      await db.close();
      await attachments.close();
    },
  };
}

export function exportsOf(config: Config): Services["exports"] {
  return {
    slots: new ExportSlots({ perWorkspace: config.EXPORT_MAX_PER_WORKSPACE, perUser: config.EXPORT_MAX_PER_USER }),
    writeTimeoutMs: config.EXPORT_WRITE_TIMEOUT_MS,
  };
}
