import type { Logger } from "pino";
import type { LoginThrottle } from "../rate-limit/login.js";
import type { ArchiveImportSettings } from "../import/archive-settings.js";
import type { SignUpThrottle } from "../rate-limit/sign-up.js";
import type { RequestLimits } from "../rate-limit/requests.js";
import type { TenantCache } from "../cache/tenant-cache.js";
import { ATTACHMENT_HEADER } from "../contract/attachments.js";
import type { Database } from "../db/connect.js";
import type { TenantTxOptions } from "../db/tenant.js";
import type { AttachmentFiles } from "../storage/attachment-files.js";
import type { Passwords } from "../auth/passwords.js";
import type { Mailer } from "../jobs/mailer.js";
import type { ExportSlots } from "../export/export-slots.js";
import type { Metrics } from "../observability/metrics.js";
import type { HeavyWorkGate } from "../rate-limit/heavy-work.js";

/** Long-lived parts shared by every request of one server process. */
export interface Services {
  db: Database;
  attachments: AttachmentFiles;
  cache: TenantCache;
  limits: RequestLimits;
  loginThrottle: LoginThrottle;
  signUpThrottle: SignUpThrottle;
  /** Password hashing at the configured cost, bounded per process. */
  passwords: Passwords;
  mailer: Mailer;
  sessionTtlHours: number;
  /** Caps on exports running at once. */
  exports: { slots: ExportSlots };
  /** Limits of workspace archive imports (POST /import/workspace). */
  archiveImport: ArchiveImportSettings;
  /** Heavy reads (reports): places per workspace, and how their transaction is bounded (statement timeout, parallel workers). */
  heavy: { gate: HeavyWorkGate; tx: Required<Pick<TenantTxOptions, "statementTimeoutMs" | "parallelWorkers">> };
  /** The HTTP face's own settings (allowed browser origins, request timeout, the metrics token). */
  http: { corsOrigins: string[]; requestTimeoutMs: number; metricsToken: string | null };
  /** The process's Prometheus metrics. */
  metrics: Metrics;
  /** How long an export or a file download waits for a client that reads nothing before cutting it off. */
  slowClientTimeoutMs: number;
  log: (level: "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
  /** The same logger, for the HTTP layer's own request lines. */
  logger: Logger;
}

/** What one request says about itself. Nothing here is trusted until checked. */
export interface RequestInfo {
  ip: string;
  /** Bearer token from the Authorization header. */
  token: string | null;
  /** The workspace the request names (x-hoursync-workspace header). */
  workspaceId: string | null;
  userAgent: string | null;
  /** What an upload is (x-hoursync-attachment header), still encoded. */
  attachment: string | null;
}

export interface Context {
  services: Services;
  req: RequestInfo;
}

export const WORKSPACE_HEADER = "x-hoursync-workspace";

export function requestInfo(headers: Record<string, string | string[] | undefined>, ip: string): RequestInfo {
  const one = (h: string) => {
    const v = headers[h];
    return (Array.isArray(v) ? v[0] : v) ?? null;
  };
  const auth = one("authorization");
  const token = auth?.startsWith("Bearer ") ? auth.slice(7).trim() || null : null;
  return { ip, token, workspaceId: one(WORKSPACE_HEADER), userAgent: one("user-agent"), attachment: one(ATTACHMENT_HEADER) };
}
