import path from "node:path";
import { z } from "zod";

/** Images, PDF and office documents: what receipts and timesheets come as. Detected from content. */
export const DEFAULT_ATTACHMENT_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/heic",
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
  // Word 97-2003 and Excel 97-2003 files (Compound File Binary).
  "application/x-cfb",
];

/** Every environment variable the server reads, with its default. The README table mirrors this. */
const envSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  /** Browser origins allowed to call the API (comma-separated); none by default: the desktop app is no browser page. */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((list) => list.split(",").map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url())),
  /** How long a request may take to arrive whole (an upload on a slow line included). */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  DATABASE_URL: z.string().url().optional(),
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** How long a request waits for a database connection before it is answered 503 (busy, Retry-After). */
  DB_POOL_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  DATA_DIR: z.string().default(path.resolve(".hoursync-data")),
  EMBEDDED_ANALYZE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Redis shared by every server process: rate-limit counters and the cache's invalidations. */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key and channel of this deployment (several deployments may share one Redis). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default("hoursync"),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 30),
  PASSWORD_COST: z.enum(["low", "standard"]).default("standard"),
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  LOGIN_FREE_FAILS_PER_ACCOUNT: z.coerce.number().int().min(0).default(5),
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  LOGIN_MAX_ACCOUNTS_PER_IP: z.coerce.number().int().positive().default(20),
  LOGIN_IP_BLOCK_SECONDS: z.coerce.number().int().positive().default(60 * 60),
  LOGIN_KNOWN_ADDRESS_DAYS: z.coerce.number().int().positive().default(30),
  SIGNUP_MAX_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(10),
  USER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SEED_DEMO: z.enum(["auto", "never"]).default("auto"),
  ATTACHMENT_DIR: z.string().min(1).optional(),
  /** Attachment files in this S3 bucket (any S3-compatible store) instead of a local folder. */
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens")
    .optional(),
  /** URL of an S3-compatible server (MinIO, Ceph, ...); unset = AWS. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Both or neither: unset = the AWS SDK's own credential chain (environment, profile, instance role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path (`endpoint/bucket/key`), as most S3-compatible servers want. */
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024),
  ATTACHMENT_QUOTA_BYTES: z.coerce.number().int().positive().default(5 * 1024 ** 3),
  ATTACHMENT_TYPES: z
    .string()
    .default(DEFAULT_ATTACHMENT_TYPES.join(","))
    .transform((list) => list.split(",").map((t) => t.trim()).filter(Boolean)),
  /** How long an export or a download waits for a client that reads nothing before cutting it off. */
  SLOW_CLIENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  EXPORT_MAX_PER_WORKSPACE: z.coerce.number().int().min(1).max(1_000).default(4),
  EXPORT_MAX_PER_USER: z.coerce.number().int().min(1).max(1_000).default(2),
  /** Bytes of an uploaded workspace archive (POST /import/workspace). */
  ARCHIVE_IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(6 * 1024 ** 3),
  /** Bytes an uploaded archive may unpack to, all entries together (refused from the zip's directory, before inflating). */
  ARCHIVE_IMPORT_MAX_EXPANDED_BYTES: z.coerce.number().int().positive().default(8 * 1024 ** 3),
  /** Entries an uploaded archive may hold. */
  ARCHIVE_IMPORT_MAX_ENTRIES: z.coerce.number().int().positive().default(100_000),
  /** Imports running at once in one process (and one per person). */
  ARCHIVE_IMPORT_MAX_RUNNING: z.coerce.number().int().min(1).max(100).default(2),
  /** Reports (and report exports) one workspace may compute at once, per process: one core each (see HEAVY_PARALLEL_WORKERS). */
  HEAVY_MAX_PER_WORKSPACE: z.coerce.number().int().min(1).max(1_000).default(1),
  /** Reports of one workspace that may wait for a place; beyond, 429 at once. */
  HEAVY_QUEUE_PER_WORKSPACE: z.coerce.number().int().min(0).max(10_000).default(4),
  /** How long a waiting report waits for a place before it is refused (429, Retry-After). */
  HEAVY_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  /** Longest any one statement of a report may run (PostgreSQL); 0 = no limit of its own. */
  HEAVY_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Parallel workers one statement of a report may use (PostgreSQL's max_parallel_workers_per_gather); 0 = one core per place. */
  HEAVY_PARALLEL_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  /** Share of a place's time one workspace's reports may take in the long run (1 = no limit); beyond it the place rests. */
  HEAVY_TIME_SHARE: z.coerce.number().gt(0).max(1).default(0.25),
  /** Report time one workspace may take at once before HEAVY_TIME_SHARE applies. */
  HEAVY_BURST_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  WEEKLY_SUMMARY: z.enum(["on", "off"]).default("on"),
  /** How often each process looks for due scheduled work (the weekly summary runs once a week whatever this is). */
  JOB_CHECK_EVERY_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(3_600_000),
  /** Bearer token that /metrics asks for on the API's port; unset = no /metrics there. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** host:port of a listener serving /metrics alone (the token too when set); unset = none. */
  METRICS_ADDRESS: z.string().min(3).optional(),
  /** How long SIGTERM waits for requests in flight and the running job before closing the rest. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "silent"]).default("info"),
})
  .refine((c) => (c.S3_ACCESS_KEY_ID === undefined) === (c.S3_SECRET_ACCESS_KEY === undefined), {
    message: "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither",
    path: ["S3_ACCESS_KEY_ID"],
  })
  .refine((c) => !(c.S3_BUCKET && c.ATTACHMENT_DIR), {
    message: "attachments go to S3_BUCKET or to ATTACHMENT_DIR, not both",
    path: ["S3_BUCKET"],
  })
  .refine((c) => c.S3_BUCKET || !(c.S3_ENDPOINT || c.S3_ACCESS_KEY_ID), {
    message: "S3 settings without S3_BUCKET",
    path: ["S3_BUCKET"],
  });

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
